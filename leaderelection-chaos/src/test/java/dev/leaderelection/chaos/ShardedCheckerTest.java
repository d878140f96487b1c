package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.chaos.FencedResource.Action;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checker applied per shard: terms of different shards may act at once and their tokens are
 * unrelated, but within a shard every check of the plain checker holds; liveness is measured.
 */
class ShardedCheckerTest {

  private static final long MS = 1_000_000;

  private final History history = new History();
  private final List<Action> actions = new ArrayList<>();

  @Test
  void differentShardsActingAtOnceWithUnrelatedTokensShouldBeSafe() {
    term(0, "a", 7, 0);
    act(0, "a", 7, 0, 2_000, true);
    term(1, "b", 1, 0);
    act(1, "b", 1, 0, 2_000, true);
    term(1, "a", 2, 2_100);
    act(1, "a", 2, 2_100, 2_500, true);

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 2);

    assertThat(verdict.verdict().examples()).isEmpty();
    assertThat(verdict.safe()).isTrue();
    assertThat(verdict.verdict().terms()).isEqualTo(3);
    assertThat(verdict.verdict().longestLeaderlessNanos()).isEqualTo(100 * MS);
  }

  @Test
  void twoTermsOfOneShardActingAtOnceShouldBeAnOverlapNamingTheShard() {
    term(3, "a", 1, 0);
    term(3, "b", 2, 200);
    act(3, "a", 1, 0, 300, true);
    act(3, "b", 2, 200, 400, true);

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 4);

    assertThat(verdict.verdict().overlaps()).isEqualTo(1);
    assertThat(verdict.verdict().staleActionsPerformed()).isPositive();
    assertThat(verdict.safe()).isFalse();
    assertThat(verdict.verdict().examples().get(0)).startsWith("shard 3: overlap: a#1");
  }

  @Test
  void tokensFallingWithinAShardShouldBeARegression() {
    term(0, "a", 5, 0);
    act(0, "a", 5, 0, 100, true);
    term(0, "b", 4, 200);
    act(0, "b", 4, 200, 300, false);

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 1);

    assertThat(verdict.verdict().tokenRegressions()).isEqualTo(1);
    assertThat(verdict.safe()).isFalse();
  }

  @Test
  void anActionAcceptedBelowItsShardsHighestTokenShouldBeStaleAccepted() {
    act(0, "a", 5, 0, 0, true);
    act(1, "b", 9, 10, 10, true);
    act(0, "c", 4, 20, 20, true); // shard 0's highest was 5

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 2);

    assertThat(verdict.verdict().staleActionsAccepted()).isEqualTo(1);
  }

  @Test
  void aMissedRecoveryOfTheRunShouldFail() {
    history.recovery(new History.Recovery("sigkill", 0, -1, 8_000 * MS));

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 1);

    assertThat(verdict.verdict().missedRecoveries()).isEqualTo(1);
    assertThat(verdict.safe()).isFalse();
  }

  @Test
  void shardsWithoutAnActionShouldBeCountedSecondBySecond() {
    act(0, "a", 1, 0, 3_999, true);
    act(1, "b", 1, 0, 999, true); // shard 1 idle in seconds 1 and 2
    act(1, "c", 2, 3_000, 3_999, true);
    history.coverage(new History.Coverage("sigkill", 1_000 * MS, 3_000 * MS));
    history.coverage(new History.Coverage("partition", 3_500 * MS, -1));

    ShardedChecker.ShardedVerdict verdict = ShardedChecker.check(history, actions, 2);

    assertThat(verdict.seconds()).isEqualTo(3);
    assertThat(verdict.ownerlessMax()).isEqualTo(1);
    assertThat(verdict.ownerlessPercent()).isCloseTo(100.0 * 2 / 6, org.assertj.core.data
        .Offset.offset(0.01));
    assertThat(verdict.coverageNanos()).containsExactly(2_000 * MS);
    assertThat(verdict.coverageMissed()).isEqualTo(1);
  }

  @Test
  void theFencedResourceShouldFenceEachShardOnItsOwn() throws Exception {
    try (FencedResource resource = new FencedResource()) {
      HttpClient http = HttpClient.newHttpClient();
      int first = post(http, resource.uri(), "identity=a&shards=0:5:100,1:9:101");
      int second = post(http, resource.uri(), "identity=b&shards=1:3:200,0:6:201");
      int plain = post(http, resource.uri(), "identity=c&token=4&checked=300");

      assertThat(first).isEqualTo(204);
      assertThat(second).isEqualTo(409);
      assertThat(plain).isEqualTo(409); // a plain election is shard 0, whose highest is 6
      assertThat(resource.actions()).extracting(Action::shard, Action::token, Action::accepted)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 5L, true),
              org.assertj.core.groups.Tuple.tuple(1, 9L, true),
              org.assertj.core.groups.Tuple.tuple(1, 3L, false),
              org.assertj.core.groups.Tuple.tuple(0, 6L, true),
              org.assertj.core.groups.Tuple.tuple(0, 4L, false));
      assertThat(resource.shardsCheckedSince(0)).isEqualTo(Map.of(0, 100L, 1, 101L));
    }
  }

  private static int post(HttpClient http, URI resource, String query) throws Exception {
    return http.send(HttpRequest.newBuilder(resource.resolve("/act?" + query))
        .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private void term(int shard, String identity, long token, long beginMillis) {
    history.shard(shard).term(new History.Term(identity, token, beginMillis * MS));
  }

  /** A shard's actions every 50 ms from {@code fromMillis} to {@code toMillis}. */
  private void act(int shard, String identity, long token, long fromMillis, long toMillis,
      boolean accepted) {
    for (long at = fromMillis; at <= toMillis; at += 50) {
      actions.add(new Action(identity, token, at * MS, (at + 1) * MS, accepted, shard));
    }
  }
}
