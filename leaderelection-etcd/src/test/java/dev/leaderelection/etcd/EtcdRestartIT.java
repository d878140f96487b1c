package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * etcd stops while a leader leads: the leader steps down by its renew deadline, no one leads
 * while etcd is away, and the election recovers when it returns, with a larger token.
 */
@ExtendWith(EtcdLauncherExtension.class)
class EtcdRestartIT {

  private static final Duration RENEW_DEADLINE = EtcdElectors.TIMINGS.renewDeadline();
  private static final Duration LEASE = EtcdElectors.TIMINGS.leaseDuration();
  private static final Duration LATENCY = Duration.ofMillis(300);

  private final EtcdElectors electors = new EtcdElectors();
  private final String key = "/leaderelection/restart-" + UUID.randomUUID();
  private EtcdServer server;

  @BeforeEach
  void startEtcd(EtcdLauncher launcher) {
    server = launcher.start();
  }

  @AfterEach
  void stop() {
    electors.close();
    server.close();
  }

  @Test
  void leaderShouldStepDownByItsRenewDeadlineWhileEtcdIsDownAndTheElectionRecover() {
    LeaderElector leader = electors.start("a", electors.lock(server.endpoint(), key),
        UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
    LeaderElector follower = electors.start("b", electors.lock(server.endpoint(), key),
        UnaryOperator.identity());
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.leader().isPresent());
    long firstToken = electors.context("a").fencingToken();

    long stopping = System.nanoTime();
    server.stop(); // SIGTERM: etcd stops serving at once, then takes seconds to finish

    await().atMost(RENEW_DEADLINE.plus(LATENCY.multipliedBy(2))).until(() -> !leader.isLeader());
    long lastRenew = electors.renewedNanos("a").orElseThrow();
    Duration sinceRenew = Duration.ofNanos(electors.stoppedNanos("a").orElseThrow() - lastRenew);
    System.out.printf("etcd down: the leader stepped down %d ms after its last renew and %d ms "
        + "after etcd was sent SIGTERM (renew deadline %d ms)%n", sinceRenew.toMillis(),
        Duration.ofNanos(electors.stoppedNanos("a").orElseThrow() - stopping).toMillis(),
        RENEW_DEADLINE.toMillis());
    assertThat(electors.stoppedReason("a")).contains(StepDownReason.RENEW_DEADLINE_EXCEEDED);
    assertThat(sinceRenew).isLessThanOrEqualTo(RENEW_DEADLINE.plus(LATENCY));
    assertThat(Duration.ofNanos(electors.stoppedNanos("a").orElseThrow() - stopping))
        .isLessThanOrEqualTo(RENEW_DEADLINE.plus(LATENCY));
    await().during(LEASE).atMost(LEASE.plusSeconds(1))
        .untilAsserted(() -> assertThat(electors.leaders()).isEmpty());

    server.restart();
    long restarted = System.nanoTime();

    LeaderElector next = await().atMost(Duration.ofSeconds(30))
        .until(this::soleLeader, candidate -> candidate != null);
    System.out.printf("etcd back: %s leads %d ms after the restart%n", next.identity(),
        Duration.ofNanos(electors.startedNanos(next.identity()).orElseThrow() - restarted)
            .toMillis());
    assertThat(electors.context(next.identity()).fencingToken()).isGreaterThan(firstToken);
    await().during(EtcdElectors.TIMINGS.retryPeriod().multipliedBy(4)).atMost(LEASE)
        .untilAsserted(() -> assertThat(electors.leaders()).containsExactly(next));
  }

  private LeaderElector soleLeader() {
    List<LeaderElector> leaders = electors.leaders();
    assertThat(leaders).as("leaders").hasSizeLessThanOrEqualTo(1);
    return leaders.isEmpty() ? null : leaders.get(0);
  }
}
