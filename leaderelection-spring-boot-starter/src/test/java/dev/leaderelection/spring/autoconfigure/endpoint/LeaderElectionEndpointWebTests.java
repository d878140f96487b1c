package dev.leaderelection.spring.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spring.ElectionLockProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/leaderelection} over HTTP from a real web server: the exact paths, JSON field
 * names and status codes of the endpoint's contract, and yielding.
 */
class LeaderElectionEndpointWebTests {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readingAllElectionsShouldDescribeEachWithEveryField() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = get(context, "/actuator/leaderelection");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject elections = json(response).getAsJsonObject("elections");
      assertThat(elections.keySet()).containsExactly("default", "reports");
      JsonObject election = elections.getAsJsonObject("default");
      assertThat(election.keySet()).contains("role", "identity", "leader", "fencingToken",
          "lock", "leaseDuration", "renewDeadline", "retryPeriod", "lastRenew", "transitions",
          "priority", "lastFailure");
      assertThat(election.get("role").getAsString()).isEqualTo("LEADER");
      assertThat(election.get("identity").getAsString()).isEqualTo("app-1");
      assertThat(election.get("leader").getAsString()).isEqualTo("app-1");
      assertThat(election.get("fencingToken").getAsLong()).isZero();
      assertThat(election.getAsJsonObject("lock").get("kind").getAsString())
          .isEqualTo("in-memory");
      assertThat(election.getAsJsonObject("lock").get("name").getAsString()).isEqualTo("my-app");
      assertThat(election.get("leaseDuration").getAsString()).isEqualTo("15s");
      assertThat(election.get("renewDeadline").getAsString()).isEqualTo("10s");
      assertThat(election.get("retryPeriod").getAsString()).isEqualTo("2s");
      assertThat(Instant.parse(election.get("lastRenew").getAsString())).isNotNull();
      assertThat(election.get("priority").getAsInt()).isZero();
      assertThat(election.get("lastFailure").isJsonNull()).isTrue();
      JsonObject follower = elections.getAsJsonObject("reports");
      assertThat(follower.get("role").getAsString()).isEqualTo("FOLLOWER");
      assertThat(follower.get("leader").getAsString()).isEqualTo("someone-else");
      assertThat(follower.get("fencingToken").getAsLong()).isEqualTo(7);
    }
  }

  @Test
  void readingAllShouldDescribeEachGroupWithEveryField() throws Exception {
    try (ConfigurableApplicationContext context =
        start("--leader-election.groups.tenants.shards=2")) {
      ShardGroup tenants = context.getBean("tenantsShardGroup", ShardGroup.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 2);
      HttpResponse<String> response = get(context, "/actuator/leaderelection");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject all = json(response);
      assertThat(all.getAsJsonObject("elections").keySet()).containsExactly("default", "reports");
      JsonObject group = all.getAsJsonObject("groups").getAsJsonObject("tenants");
      assertThat(group.keySet()).containsExactlyInAnyOrder("name", "identity", "shards",
          "members", "owned", "fairShare", "balanced", "paused", "leaseDuration", "renewDeadline",
          "retryPeriod", "lastFailure", "membershipFailure", "details");
      assertThat(group.get("name").getAsString()).isEqualTo("tenants");
      assertThat(group.get("identity").getAsString()).isEqualTo("app-1");
      assertThat(group.get("shards").getAsInt()).isEqualTo(2);
      assertThat(group.getAsJsonArray("members").get(0).getAsString()).isEqualTo("app-1");
      JsonObject first = group.getAsJsonArray("owned").get(0).getAsJsonObject();
      assertThat(first.keySet()).containsExactlyInAnyOrder("shard", "fencingToken");
      assertThat(first.get("fencingToken").getAsLong())
          .isEqualTo(tenants.term(first.get("shard").getAsInt()).orElseThrow().fencingToken());
      assertThat(group.get("fairShare").getAsInt()).isEqualTo(2);
      assertThat(group.get("balanced").getAsBoolean()).isTrue();
      assertThat(group.get("paused").getAsBoolean()).isFalse();
      assertThat(group.get("leaseDuration").getAsString()).isEqualTo("15s");
      assertThat(group.get("lastFailure").isJsonNull()).isTrue();
      assertThat(group.get("membershipFailure").isJsonNull()).isTrue();
      assertThat(group.getAsJsonObject("details").keySet()).isEmpty();
    }
  }

  @Test
  void readingOneElectionShouldAnswerItAndAnUnknownOneShouldBeNotFound() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> one = get(context, "/actuator/leaderelection/reports");
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(json(one).get("role").getAsString()).isEqualTo("FOLLOWER");

      assertThat(get(context, "/actuator/leaderelection/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void yieldShouldReleaseAndRestForTheGivenBackOff() throws Exception {
    try (ConfigurableApplicationContext context =
        start("--leader-election.retry-period=200ms")) {
      LeaderElector elector = context.getBean("leaderElector", LeaderElector.class);

      HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"for\": \"1s\"}");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("yielded").getAsBoolean()).isTrue();
      assertThat(json(response).get("backOff").getAsString()).isEqualTo("1s");
      assertThat(json(response).get("message").getAsString())
          .isEqualTo("app-1 yielded default and competes again in 1s");
      assertThat(elector.isLeader()).isFalse();
      assertThat(elector.lock().get().orElseThrow().isHeld()).as("released").isFalse();
      await().atMost(Duration.ofSeconds(10)).until(elector::isLeader);
    }
  }

  @Test
  void yieldOnAFollowerShouldSayThereIsNothingToYield() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = post(context, "/actuator/leaderelection/reports",
          "{\"action\": \"yield\"}");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).get("yielded").getAsBoolean()).isFalse();
      assertThat(json(response).get("message").getAsString())
          .isEqualTo("app-1 does not lead reports; nothing to yield");
    }
  }

  @Test
  void unknownActionShouldBeABadRequestAndUnknownElectionNotFound() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      assertThat(post(context, "/actuator/leaderelection/default", "{\"action\": \"stop\"}")
          .statusCode()).isEqualTo(400);
      assertThat(post(context, "/actuator/leaderelection/nope", "{\"action\": \"yield\"}")
          .statusCode()).isEqualTo(404);
      assertThat(context.getBean("leaderElector", LeaderElector.class).isLeader()).isTrue();
    }
  }

  @Test
  void badRequestShouldAnswerABodyNamingTheFieldTheValueAndTheRule() throws Exception {
    String[][] cases = {
        {"{\"action\": \"stop\"}", "action", "stop", "must be 'yield'"},
        {"{}", "action", null, "is required and must be 'yield'"},
        {"", "action", null, "is required and must be 'yield'"},
        {"{\"action\": \"yield\", \"for\": \"soon\"}", "for", "soon",
            "must be a duration such as 30s, 500ms or PT1M; a bare number means seconds"},
        {"{\"action\": \"yield\", \"for\": \"1.5\"}", "for", "1.5",
            "must be a duration such as 30s, 500ms or PT1M; a bare number means seconds"},
        {"{\"action\": \"yield\", \"for\": \"-1s\"}", "for", "-1s", "must not be negative"}};
    try (ConfigurableApplicationContext context = start()) {
      for (String[] bad : cases) {
        HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
            bad[0]);

        assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
        JsonObject refusal = json(response);
        assertThat(refusal.get("field").getAsString()).as(bad[0]).isEqualTo(bad[1]);
        assertThat(refusal.get("value").isJsonNull() ? null : refusal.get("value").getAsString())
            .as(bad[0]).isEqualTo(bad[2]);
        assertThat(refusal.get("rule").getAsString()).as(bad[0]).isEqualTo(bad[3]);
        assertThat(refusal.get("message").getAsString()).as(bad[0]).startsWith(bad[1] + " ")
            .endsWith(bad[3]);
      }
      assertThat(context.getBean("leaderElector", LeaderElector.class).isLeader()).isTrue();
    }
  }

  @Test
  void hugeBackOffShouldBeABadRequestNamingTheBoundNotAServerError() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> tooLong = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"for\": \"300000d\"}");
      HttpResponse<String> tooNegative = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"for\": \"-300000d\"}");

      assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
      assertThat(json(tooLong).get("message").getAsString())
          .isEqualTo("for is '300000d' but must be at most 365d");
      assertThat(tooNegative.statusCode()).as(tooNegative.body()).isEqualTo(400);
      assertThat(json(tooNegative).get("message").getAsString())
          .isEqualTo("for is '-300000d' but must not be negative");
      assertThat(context.getBean("leaderElector", LeaderElector.class).isLeader()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "\"30\""})
  void bareNumberBackOffShouldMeanSecondsAndTheAnswerShouldStateIt(String given)
      throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"for\": " + given + "}");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("message").getAsString())
          .isEqualTo("app-1 yielded default and competes again in 30s");
      assertThat(json(response).get("backOff").getAsString()).isEqualTo("30s");
    }
  }

  @Test
  void backOffBelowTwiceTheRetryPeriodShouldBeRaisedToItAndSaySo() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      LeaderElector elector = context.getBean("leaderElector", LeaderElector.class);

      HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"for\": \"0s\"}");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("message").getAsString())
          .isEqualTo("app-1 yielded default and competes again in 4s (for was 0s; the least "
              + "back-off is twice the retry period)");
      assertThat(json(response).get("backOff").getAsString()).isEqualTo("4s");
      assertThat(elector.isLeader()).isFalse();
    }
  }

  @Test
  void bodyFieldNamedAfterTheParameterShouldBeIgnoredSoOnlyForSetsTheBackOff() throws Exception {
    try (ConfigurableApplicationContext context = start()) {
      HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\", \"backOff\": \"soon\"}");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("backOff").getAsString()).as("one lease duration")
          .isEqualTo("15s");
    }
  }

  @Test
  void hugeHolderIdentityShouldBeAnsweredBounded() throws Exception {
    try (ConfigurableApplicationContext context = start(StrangerApplication.class)) {
      HttpResponse<String> all = get(context, "/actuator/leaderelection");
      HttpResponse<String> one = get(context, "/actuator/leaderelection/reports");

      assertThat(all.body().length()).isLessThan(4_000);
      String leader = json(one).get("leader").getAsString();
      assertThat(leader).startsWith("evil\\nx").endsWith("…(" + (STRANGER.length() - 120)
          + " more characters)").hasSizeLessThan(200);
      assertThat(json(all).getAsJsonObject("elections").getAsJsonObject("reports")
          .get("leader").getAsString()).isEqualTo(leader);
    }
  }

  @Test
  void readOnlyAccessShouldRefuseTheYield() throws Exception {
    try (ConfigurableApplicationContext context =
        start("--management.endpoint.leaderelection.access=read-only")) {
      HttpResponse<String> response = post(context, "/actuator/leaderelection/default",
          "{\"action\": \"yield\"}");

      assertThat(response.statusCode()).isIn(404, 405);
      assertThat(get(context, "/actuator/leaderelection").statusCode()).isEqualTo(200);
      assertThat(context.getBean("leaderElector", LeaderElector.class).isLeader()).isTrue();
    }
  }

  private static ConfigurableApplicationContext start(String... more) {
    return start(WebApplication.class, more);
  }

  private static ConfigurableApplicationContext start(Class<?> application, String... more) {
    String[] args = {"--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
        "--leader-election.lease-name=my-app", "--leader-election.lock=in-memory",
        "--leader-election.identity=app-1",
        "--leader-election.elections.reports.lock=in-memory",
        "--management.endpoints.web.exposure.include=leaderelection"};
    ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
        .run(Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> context.getBean("leaderElector", LeaderElector.class).isLeader()
            && context.getBean("reportsLeaderElector", LeaderElector.class).leader().isPresent());
    return context;
  }

  private HttpResponse<String> get(ConfigurableApplicationContext context, String path)
      throws Exception {
    return http.send(HttpRequest.newBuilder(uri(context, path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(ConfigurableApplicationContext context, String path,
      String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(context, path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ConfigurableApplicationContext context, String path) {
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /** A megabyte of identity with a line break, as anyone who may edit a lock can write it. */
  private static final String STRANGER = "evil\nx" + "y".repeat(1 << 20);

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class WebApplication {

    /** The reports election's lock is held by another instance for an hour. */
    @Bean
    ElectionLockProvider reportsLock() {
      return heldBy("someone-else");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class StrangerApplication {

    /** The reports election's lock is held by a stranger's hostile identity for an hour. */
    @Bean
    ElectionLockProvider reportsLock() {
      return heldBy(STRANGER);
    }
  }

  private static ElectionLockProvider heldBy(String holder) {
    InMemoryLeaseLock lock = new InMemoryLeaseLock("reports");
    Instant now = Instant.now();
    lock.create(LeaderRecord.builder().holderIdentity(holder)
        .leaseDuration(Duration.ofHours(1)).acquireTime(now).renewTime(now).leaseTransitions(7)
        .build());
    return ElectionLockProvider.of("reports", lock);
  }
}
