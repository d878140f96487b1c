package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.etcd.EtcdLeaseLock;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One etcd benchmark candidate process: this library's elector on an {@link EtcdLeaseLock}, or
 * jetcd's own {@code Election} (campaign on an etcd lease whose TTL is the lease duration, kept
 * alive by jetcd; resign and revoke on shutdown). Arguments: library ({@code leaderelection-etcd}
 * or {@code jetcd-election}), endpoint, election, identity, lease seconds, renew deadline millis,
 * retry period millis. Prints {@code LEADING} and {@code FOLLOWING}.
 */
public final class EtcdCandidate {

  private EtcdCandidate() {
  }

  public static void main(String[] args) throws Exception {
    String library = args[0];
    String endpoint = args[1];
    String election = args[2];
    String identity = args[3];
    LeaseTimings timings = LeaseTimings.of(Duration.ofSeconds(Long.parseLong(args[4])),
        Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])));
    switch (library) {
      case EtcdBackend.OURS -> ours(endpoint, election, identity, timings);
      case EtcdBackend.JETCD -> jetcd(endpoint, election, identity, timings.leaseDuration());
      default -> throw new IllegalArgumentException("unknown library " + library);
    }
  }

  private static void ours(String endpoint, String election, String identity,
      LeaseTimings timings) throws Exception {
    EtcdLeaseLock lock = EtcdLeaseLock.builder(election).endpoints(endpoint)
        .requestTimeout(timings.renewDeadline().dividedBy(2)).build();
    LeaderElector elector = LeaderElector.builder(lock, identity)
        .timings(timings)
        .listener(new PrintingListener())
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      elector.close();
      lock.close();
    }));
    elector.start();
    System.out.println("READY");
    Thread.currentThread().join();
  }

  /**
   * jetcd's election as its users write it: grant a lease, keep it alive, campaign (which
   * returns once this candidate leads), lead until the lease is lost; on shutdown resign and
   * revoke the lease so the next candidate's campaign returns at once.
   */
  private static void jetcd(String endpoint, String election, String identity,
      Duration leaseDuration) throws Exception {
    Client client = Client.builder().endpoints(endpoint).build();
    ByteSequence name = bytes("/jetcd-election/" + election);
    AtomicReference<LeaderKey> leading = new AtomicReference<>();
    AtomicReference<Long> currentLease = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        LeaderKey key = leading.get();
        if (key != null) {
          client.getElectionClient().resign(key).get(2, TimeUnit.SECONDS);
        }
        Long lease = currentLease.get();
        if (lease != null) {
          client.getLeaseClient().revoke(lease).get(2, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        // shutting down anyway
      }
    }));
    System.out.println("READY");
    while (true) {
      long lease = client.getLeaseClient().grant(leaseDuration.toSeconds()).get().getID();
      currentLease.set(lease);
      CompletableFuture<Void> lost = new CompletableFuture<>();
      try (var keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<>() {
        @Override
        public void onNext(LeaseKeepAliveResponse response) {
        }

        @Override
        public void onError(Throwable error) {
          lost.complete(null);
        }

        @Override
        public void onCompleted() {
          lost.complete(null);
        }
      })) {
        leading.set(client.getElectionClient().campaign(name, lease, bytes(identity)).get()
            .getLeader());
        System.out.println("LEADING");
        lost.get();
        leading.set(null);
        System.out.println("FOLLOWING");
      }
    }
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
