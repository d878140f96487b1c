package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.benchmarks.BenchmarkRunner.Timings;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zero-downtime migration from the peers' older locks on a real API server: candidate JVMs of
 * the official Java client (its {@code ConfigMapLock} and {@code EndpointsLock}) and of fabric8
 * (its {@code ConfigMapLock}) are replaced one by one by this library's candidates on the
 * migrating lock, which are then replaced by candidates on the Lease alone. Sampled every 5 ms,
 * never do two candidates lead at once, and at every step someone leads again.
 */
@DisabledIfSystemProperty(named = "benchmark.suite", matches = "groups",
    disabledReason = "the groups suite runs in GroupsBenchmarkIT")
@ExtendWith(KubernetesApiServerExtension.class)
class MigrationFromPeersIT {

  private static final Timings TIMINGS = new Timings(6, 4_000, 1_000);
  private static final Duration PATIENCE = Duration.ofSeconds(45);

  private final List<CandidateProcess> candidates = new CopyOnWriteArrayList<>();
  private final List<String> overlaps = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private KubernetesBackend backend;

  @AfterEach
  void stopEverything() {
    sampler.shutdownNow();
    candidates.forEach(CandidateProcess::destroy);
  }

  @Test
  void fromClientJavaConfigMapLocksShouldNeverHaveTwoLeaders(KubernetesApiServer server)
      throws Exception {
    rollingUpdate(server, "configmap", "client-java");
  }

  @Test
  void fromFabric8ConfigMapLocksShouldNeverHaveTwoLeaders(KubernetesApiServer server)
      throws Exception {
    rollingUpdate(server, "configmap", "fabric8");
  }

  @Test
  void fromClientJavaEndpointsLocksShouldNeverHaveTwoLeaders(KubernetesApiServer server)
      throws Exception {
    rollingUpdate(server, "endpoints", "client-java");
  }

  /**
   * Two old candidates of {@code library} on its {@code kind} lock, replaced as a Deployment's
   * rolling update does. (The two peers cannot share one ConfigMap: fabric8 cannot read the
   * millisecond times client-java writes, so each migration starts from one of them.)
   */
  private void rollingUpdate(KubernetesApiServer server, String kind, String library)
      throws Exception {
    backend = new KubernetesBackend(server,
        Path.of(System.getProperty("benchmark.clientJavaDir")));
    String election = "migrate-" + kind + "-" + library;
    sampler.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.MILLISECONDS);

    CandidateProcess old1 = start(library, election, "old-1", kind);
    CandidateProcess old2 = start(library, election, "old-2", kind);
    CandidateProcess oldLeader = awaitLeader(List.of(old1, old2));
    CandidateProcess new1 = start("leaderelection", election, "new-1", "migrating-" + kind);
    TimeUnit.SECONDS.sleep(TIMINGS.leaseSeconds() + 2);
    assertThat(oldLeader.leadsNow()).as("the old leader keeps leading").isTrue();
    assertThat(new1.leadsNow()).as("a new candidate waits for the old leader").isFalse();

    CandidateProcess oldFollower = oldLeader == old1 ? old2 : old1;
    oldLeader.terminate();
    awaitLeader(List.of(oldFollower, new1));
    CandidateProcess new2 = start("leaderelection", election, "new-2", "migrating-" + kind);
    oldFollower.terminate();
    CandidateProcess newLeader = awaitLeader(List.of(new1, new2));

    CandidateProcess leaseOnly = start("leaderelection", election, "lease-1", "lease");
    newLeader.terminate();
    CandidateProcess next = awaitLeader(List.of(new1 == newLeader ? new2 : new1, leaseOnly));
    if (next != leaseOnly) {
      next.terminate();
    }
    awaitLeader(List.of(leaseOnly));

    assertThat(overlaps).as("moments with two leaders").isEmpty();
    for (CandidateProcess old : List.of(old1, old2)) {
      assertThat(old.exceptions()).as("what %s logged reading the records", old.identity())
          .noneMatch(line -> line.contains("Json") || line.contains("Parse")
              || line.contains("Deserializ"));
    }
  }

  private CandidateProcess start(String library, String election, String identity, String kind)
      throws Exception {
    CandidateProcess candidate = CandidateProcess.start(identity,
        backend.command(library, election, identity, TIMINGS, kind));
    candidates.add(candidate);
    return candidate;
  }

  private void sample() {
    List<String> leaders = new ArrayList<>();
    for (CandidateProcess candidate : candidates) {
      if (candidate.leadsNow()) {
        leaders.add(candidate.identity());
      }
    }
    if (leaders.size() > 1) {
      overlaps.add(leaders.toString());
    }
  }

  private static CandidateProcess awaitLeader(List<CandidateProcess> among)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      for (CandidateProcess candidate : among) {
        if (candidate.leadsNow()) {
          return candidate;
        }
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    throw new IllegalStateException("none of " + among.stream().map(CandidateProcess::identity)
        .toList() + " led within " + PATIENCE);
  }
}
