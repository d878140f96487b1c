package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.leaderelection.ElectorLog;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Three electors with separate clients on one real Lease. Timings 3s / 2s / 500ms. */
class KubernetesElectionIT extends RealApiServerTest {

  private static final Duration RETRY = ElectorFixture.TIMINGS.retryPeriod();
  private static final Duration LEASE = ElectorFixture.TIMINGS.leaseDuration();
  /** Time for one or two API round trips and a listener call on a busy two-core machine. */
  private static final Duration LATENCY = Duration.ofMillis(300);

  private final String leaseName = "election-" + UUID.randomUUID();

  @Test
  void closingTheLeaderWithReleaseShouldHandOverWithinOneJitteredRetryPeriod() {
    startThree(UnaryOperator.identity());
    LeaderElector leader = awaitExactlyOneLeader();
    assertNoSecondLeaderFor(RETRY.multipliedBy(4));

    leader.close();

    LeaderElector next = awaitExactlyOneLeader();
    long released = fixture.releasedNanos(leader.identity()).orElseThrow();
    long started = fixture.startedNanos(next.identity()).orElseThrow();
    Duration handover = Duration.ofNanos(started - released);
    System.out.printf("handover after release: %d ms (bound %d ms + %d ms latency)%n",
        handover.toMillis(), jittered(RETRY).toMillis(), LATENCY.toMillis());
    assertThat(fixture.stoppedReason(leader.identity())).contains(StepDownReason.RELEASED);
    assertThat(handover).isLessThanOrEqualTo(jittered(RETRY).plus(LATENCY));
  }

  @Test
  void twoProcessesSharingOneIdentityShouldBeReportedAtError() {
    try (ElectorLog log = ElectorLog.capture()) {
      for (int i = 0; i < 2; i++) {
        fixture.start("twin", fixture.lease(server.adminClient(), namespace, leaseName),
            UnaryOperator.identity());
      }

      await().atMost(LEASE.multipliedBy(3)).until(() -> log.at(Level.ERROR).stream().anyMatch(
          message -> message.contains(
              "renewed by another process under this instance's identity 'twin'")));
    }
  }

  @Test
  void leaderStoppedWithoutReleaseShouldBeReplacedOnlyAfterTheLeaseDuration() {
    startThree(builder -> builder.releaseOnClose(false));
    LeaderElector leader = awaitExactlyOneLeader();

    leader.close();
    long closed = System.nanoTime();
    LeaderRecord lastRenewal = readRecord();

    LeaderElector next = await().atMost(LEASE.plus(RETRY.multipliedBy(4)))
        .until(this::soleLeader, candidate -> candidate != null);
    LeaderRecord taken = readRecord();
    Duration failover = Duration.ofNanos(
        fixture.startedNanos(next.identity()).orElseThrow() - closed);
    System.out.printf("failover without release: %d ms after close (lease %d ms)%n",
        failover.toMillis(), LEASE.toMillis());
    assertThat(lastRenewal.holderIdentity()).isEqualTo(leader.identity());
    assertThat(Duration.between(lastRenewal.renewTime(), taken.acquireTime()))
        .isGreaterThanOrEqualTo(LEASE);
    assertThat(failover).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(2)).plus(LATENCY));
  }

  @Test
  void holderOverwrittenAsKubectlEditWouldShouldStopTheLeaderAtItsNextRenew() {
    LeaderElector leader = fixture.start("a", newLock(), UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);

    String path = "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases/" + leaseName;
    String edited = server.raw("GET", path, null)
        .replace("\"holderIdentity\":\"a\"", "\"holderIdentity\":\"intruder\"");
    server.raw("PUT", path, edited);
    long stolen = System.nanoTime();

    await().atMost(RETRY.plus(LATENCY.multipliedBy(2))).until(() -> !leader.isLeader());
    Duration stepDown = Duration.ofNanos(fixture.stoppedNanos("a").orElseThrow() - stolen);
    System.out.printf("step-down after the holder was overwritten: %d ms%n", stepDown.toMillis());
    assertThat(fixture.stoppedReason("a")).contains(StepDownReason.STOLEN);
    assertThat(leader.leader()).contains("intruder");
  }

  @Test
  void restartWithTheSameIdentityShouldBeginANewTermWithALargerToken() {
    LeaderElector first = fixture.start("a", newLock(), builder -> builder.releaseOnClose(false));
    await().atMost(Duration.ofSeconds(10)).until(first::isLeader);
    long firstToken = fixture.context("a").fencingToken();
    first.close();

    LeaderElector restarted = fixture.start("a", newLock(), UnaryOperator.identity());

    await().atMost(RETRY.plus(LATENCY)).until(restarted::isLeader);
    assertThat(fixture.context("a").fencingToken()).isGreaterThan(firstToken);
    assertThat(readRecord().leaseTransitions()).isEqualTo(firstToken + 1);
  }

  private void startThree(UnaryOperator<LeaderElector.Builder> configure) {
    for (String identity : List.of("a", "b", "c")) {
      fixture.start(identity, newLock(), configure);
    }
  }

  private LeaseLock newLock() {
    return fixture.lease(server.adminClient(), namespace, leaseName);
  }

  private LeaderRecord readRecord() {
    return newLock().get().orElseThrow();
  }

  private LeaderElector awaitExactlyOneLeader() {
    return await().atMost(LEASE.plus(RETRY.multipliedBy(4)))
        .until(this::soleLeader, leader -> leader != null);
  }

  private LeaderElector soleLeader() {
    List<LeaderElector> leaders = fixture.leaders();
    assertThat(leaders).as("leaders").hasSizeLessThanOrEqualTo(1);
    return leaders.isEmpty() ? null : leaders.get(0);
  }

  private void assertNoSecondLeaderFor(Duration duration) {
    await().during(duration).atMost(duration.plusSeconds(1))
        .untilAsserted(() -> assertThat(fixture.leaders()).hasSize(1));
  }

  private static Duration jittered(Duration period) {
    return Duration.ofNanos(Math.round(period.toNanos() * 1.2));
  }
}
