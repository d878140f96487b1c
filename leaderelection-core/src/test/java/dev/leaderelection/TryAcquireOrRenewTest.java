package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The election rounds, table-driven in the style of client-go's {@code TestTryAcquireOrRenew}:
 * each scenario sets up the lock, starts elector {@code a} at time 0, moves time, and states the
 * exact lock calls, listener calls and role that must result.
 */
class TryAcquireOrRenewTest {

  private static final Duration RETRY = ElectionHarness.TIMINGS.retryPeriod();
  private static final Duration LEASE = ElectionHarness.TIMINGS.leaseDuration();
  private static final Duration DEADLINE = ElectionHarness.TIMINGS.renewDeadline();
  private static final Duration NANO = Duration.ofNanos(1);

  record Scenario(String name, Consumer<ElectionHarness> given, Consumer<Run> when,
      List<String> calls, List<String> events, boolean leads) {

    @Override
    public String toString() {
      return name;
    }
  }

  /** The elector under test, started, and its harness. */
  record Run(ElectionHarness harness, LeaderElector elector) {

    void advance(Duration duration) {
      harness.advance(duration);
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("no record: create it and lead",
            given -> { }, when -> { },
            List.of("get", "create a"),
            List.of("leader a", "started 0"), true),

        new Scenario("held and unexpired: follow without writing",
            given -> given.lock.putExternally(given.heldBy("b", 3)),
            when -> when.advance(LEASE.minus(NANO)),
            gets(8),
            List.of("leader b"), false),

        new Scenario("held but unchanged for the lease duration: take over, transitions + 1",
            given -> given.lock.putExternally(given.heldBy("b", 3)),
            when -> {
              when.advance(LEASE.minus(NANO));
              assertThat(when.elector.isLeader()).isFalse();
              when.advance(NANO);
            },
            concat(gets(9), "update a"),
            List.of("leader b", "leader a", "started 4"), true),

        new Scenario("held with a shorter lease in the record: expiry uses the record's duration",
            given -> given.lock.putExternally(given.heldBy("b", 0, Duration.ofSeconds(5))),
            when -> when.advance(Duration.ofSeconds(5)),
            List.of("get", "get", "get", "get", "update a"),
            List.of("leader b", "leader a", "started 1"), true),

        new Scenario("record changing as its leader renews: never take over",
            given -> given.lock.putExternally(given.heldBy("b", 3)),
            when -> {
              for (int i = 0; i < 30; i++) {
                when.advance(Duration.ofSeconds(1));
                when.harness.renewExternally("b");
                when.advance(Duration.ofSeconds(1));
              }
            },
            gets(31),
            List.of("leader b"), false),

        new Scenario("our own record after a restart: a new term with a larger token",
            given -> given.lock.putExternally(given.heldBy("a", 5)),
            when -> { },
            List.of("get", "update a"),
            List.of("leader a", "started 6"), true),

        new Scenario("released lease: acquire at once",
            given -> given.lock.putExternally(given.heldBy("", 2)),
            when -> { },
            List.of("get", "update a"),
            List.of("leader a", "started 3"), true),

        new Scenario("leading and nobody else writes: each renew is one request",
            given -> { },
            when -> when.advance(RETRY.multipliedBy(3)),
            List.of("get", "create a", "update a", "update a", "update a"),
            List.of("leader a", "started 0"), true),

        new Scenario("holder overwritten by another client: stop at the next renew",
            given -> { },
            when -> {
              when.harness.lock.putExternally(when.harness.heldBy("b", 1));
              when.advance(RETRY);
            },
            List.of("get", "create a", "update a", "get"),
            List.of("leader a", "started 0", "leader b", "stopped 0 STOLEN"), false),

        new Scenario("renew conflicts until the renew deadline: stop exactly at the deadline",
            given -> { },
            when -> {
              when.harness.lock.failWrites(() -> new LeaseConflictException("conflict"));
              when.advance(DEADLINE.minus(NANO));
              assertThat(when.elector.isLeader()).isTrue();
              when.advance(NANO);
            },
            List.of("get", "create a",
                "update a", "get", "update a", "update a", "get", "update a",
                "update a", "get", "update a", "update a", "get", "update a",
                "get", "update a"),
            List.of("leader a", "started 0", "stopped 0 RENEW_DEADLINE_EXCEEDED"), false),

        new Scenario("lock unreadable: keep trying without writing, then recover",
            given -> given.lock.failGets(() -> new LeaseLockException("leases is forbidden")),
            when -> {
              when.advance(RETRY);
              assertThat(when.elector.lastFailure()).get()
                  .extracting(Throwable::getMessage).isEqualTo("leases is forbidden");
              when.harness.lock.failGets(null);
              when.advance(RETRY);
              assertThat(when.elector.lastFailure()).isEmpty();
            },
            List.of("get", "get", "get", "create a"),
            List.of("leader a", "started 0"), true),

        new Scenario("closed while following: no write",
            given -> given.lock.putExternally(given.heldBy("b", 3)),
            when -> {
              when.elector.closeAsync();
              when.advance(LEASE.multipliedBy(2));
            },
            List.of("get"),
            List.of("leader b"), false),

        new Scenario("closed while leading without release: no write",
            given -> given.configure = builder -> builder.releaseOnClose(false),
            when -> {
              when.elector.closeAsync();
              when.advance(LEASE.multipliedBy(2));
            },
            List.of("get", "create a"),
            List.of("leader a", "started 0", "stopped 0 SHUTDOWN"), false),

        new Scenario("closed while leading with release: holder cleared once",
            given -> { },
            when -> {
              when.elector.closeAsync();
              when.advance(LEASE.multipliedBy(2));
              assertThat(when.harness.lock.current().holderIdentity()).isEmpty();
              assertThat(when.harness.lock.current().leaseDuration()).hasSeconds(1);
            },
            List.of("get", "create a", "update ''"),
            List.of("leader a", "started 0", "stopped 0 RELEASED"), false),

        new Scenario("closed after another client took the lease: never released",
            given -> given.lock.putExternally(given.heldBy("a", 1)),
            when -> {
              when.harness.lock.putExternally(when.harness.heldBy("b", 2));
              when.elector.closeAsync();
              when.advance(RETRY);
            },
            List.of("get", "update a", "update ''", "get"),
            List.of("leader a", "started 2", "stopped 2 RELEASED", "leader b"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void roundsShouldMakeExactlyTheExpectedCallsAndTransitions(Scenario scenario) {
    ElectionHarness harness = new ElectionHarness();
    scenario.given().accept(harness);
    LeaderElector elector = harness.started("a");

    scenario.when().accept(new Run(harness, elector));

    assertThat(harness.lock.calls()).as("lock calls").isEqualTo(scenario.calls());
    assertThat(harness.listener("a").events()).as("listener calls")
        .isEqualTo(scenario.events());
    assertThat(elector.isLeader()).as("leads").isEqualTo(scenario.leads());
  }

  private static List<String> gets(int count) {
    return Collections.nCopies(count, "get");
  }

  private static List<String> concat(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }
}
