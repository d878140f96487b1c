package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two kube-apiservers over one etcd ({@link ApiServers}): a Lease written through one is read
 * through the other, and an elector on each never leads at the same time as the other, sampled
 * while one API server is killed and started again and while its etcd connection is slowed.
 * Asserts safety, never a timing.
 */
class ApiServersIT {

  private static final String NAMESPACE = "apiservers-it";
  private static final Path DATA = Path.of("target", "apiservers-it").toAbsolutePath();
  private static ApiServers apiServers;
  private static KubernetesLocks locksOnA;
  private static KubernetesLocks locksOnB;

  @BeforeAll
  static void startTwoApiServers() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(ci || Binaries.available(), "Several API servers need KUBE_LAUNCHER and "
        + "TOXIPROXY_SERVER, or Go to build them; skipped");
    apiServers = ApiServers.start(Binaries.kubeLauncher(), Binaries.toxiproxy(),
        DATA, 2, List.of());
    ApiClient a = Config.fromConfig(apiServers.kubeconfig(0).toString());
    new CoreV1Api(a).createNamespace(new V1Namespace().metadata(new V1ObjectMeta()
        .name(NAMESPACE))).execute();
    locksOnA = KubernetesLocks.create(a);
    locksOnB = KubernetesLocks.create(Config.fromConfig(apiServers.kubeconfig(1).toString()));
  }

  @AfterAll
  static void stop() {
    if (locksOnA != null) {
      locksOnA.close();
      locksOnB.close();
    }
    if (apiServers != null) {
      apiServers.close();
    }
    try (Stream<Path> paths = Files.walk(DATA)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // nothing was started
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void leaseWrittenThroughOneApiServerIsReadThroughTheOther() throws Exception {
    LeaseLock onA = locksOnA.lease(NAMESPACE, "written-on-a", Duration.ofSeconds(5));
    LeaseLock onB = locksOnB.lease(NAMESPACE, "written-on-a", Duration.ofSeconds(5));
    onA.create(LeaderRecord.builder().holderIdentity("a").leaseDuration(Duration.ofSeconds(15))
        .acquireTime(Instant.now()).renewTime(Instant.now()).leaseTransitions(0).build());

    Optional<LeaderRecord> read = onB.get();

    assertThat(read).hasValueSatisfying(record ->
        assertThat(record.holderIdentity()).isEqualTo("a"));
    assertThat(apiServers.port(0)).isNotEqualTo(apiServers.port(1));
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void electorsOnDifferentApiServersNeverBothLeadWhileOneRestartsAndLags() throws Exception {
    LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(3), Duration.ofSeconds(2),
        Duration.ofMillis(500));
    String lease = "two-apiservers";
    AtomicInteger bothLead = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    AtomicReference<String> everLed = new AtomicReference<>("");
    AtomicBoolean sampling = new AtomicBoolean(true);
    try (LeaderElector onA = LeaderElector.builder(
            locksOnA.lease(NAMESPACE, lease, Duration.ofSeconds(1)), "on-a").timings(timings)
            .build();
        LeaderElector onB = LeaderElector.builder(
            locksOnB.lease(NAMESPACE, lease, Duration.ofSeconds(1)), "on-b").timings(timings)
            .build()) {
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          boolean a = onA.isLeader();
          boolean b = onB.isLeader();
          samples.incrementAndGet();
          if (a && b) {
            bothLead.incrementAndGet();
          }
          if (a || b) {
            everLed.accumulateAndGet(a ? "a" : "b", (old, now) -> old.contains(now) ? old
                : old + now);
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "sampler");
      onA.start();
      onB.start();
      sampler.start();
      awaitLeader(onA, onB);
      LeaderElector leader = onA.isLeader() ? onA : onB;
      int leadersApiServer = leader == onA ? 0 : 1;

      // The leader's API server crashes: the leader steps down, the other takes over; then the
      // API server comes back.
      apiServers.kill(leadersApiServer);
      TimeUnit.MILLISECONDS.sleep(timings.leaseDuration().toMillis() * 2);
      apiServers.ensureRunning(leadersApiServer);
      awaitLeader(onA, onB);

      // The follower's API server's watches lag: it sees the leader's renewals late.
      LeaderElector now = onA.isLeader() ? onA : onB;
      int followersApiServer = now == onA ? 1 : 0;
      apiServers.slowEtcdLink(followersApiServer, Duration.ofMillis(800));
      TimeUnit.MILLISECONDS.sleep(timings.leaseDuration().toMillis() * 2);
      apiServers.healEtcdLink(followersApiServer);
      awaitLeader(onA, onB);
      sampling.set(false);
      sampler.join();
    }

    System.out.printf("ApiServersIT: %d samples, both leading in %d; led: %s%n", samples.get(),
        bothLead.get(), everLed.get());
    assertThat(bothLead.get()).as("samples in which the electors on both API servers led")
        .isZero();
    assertThat(everLed.get()).as("who led").contains("a").contains("b");
  }

  /** Waits, with patience rather than a bound, until one of them leads. */
  private static void awaitLeader(LeaderElector a, LeaderElector b) throws InterruptedException {
    long patience = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!a.isLeader() && !b.isLeader() && System.nanoTime() < patience) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertThat(a.isLeader() || b.isLeader()).as("someone leads").isTrue();
  }
}
