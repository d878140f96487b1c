package dev.leaderelection.chaos;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import io.kubernetes.client.util.Config;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A chaos candidate: one elector of this library in a JVM of its own, reaching the API server
 * through its own fault proxy. Every 50 ms it checks {@code currentTerm()} and, while it leads,
 * sends a guarded action with its fencing token and the time of the check to the harness's
 * {@link FencedResource}. It prints {@code BEGIN <token> <nanos>} and
 * {@code END <token> <nanos> <reason>} on each transition, and {@code READY}.
 *
 * <p>Arguments: kubeconfig, namespace, lease, identity, lease/renew/retry in milliseconds, the
 * fenced resource's URL, the record clock's skew in seconds.
 */
public final class ChaosCandidate {

  static final Duration ACTION_PERIOD = Duration.ofMillis(50);

  private ChaosCandidate() {
  }

  public static void main(String[] args) throws Exception {
    String kubeconfig = args[0];
    String namespace = args[1];
    String lease = args[2];
    String identity = args[3];
    LeaseTimings timings = LeaseTimings.of(Duration.ofMillis(Long.parseLong(args[4])),
        Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])));
    URI resource = URI.create(args[7]);
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(Long.parseLong(args[8])));
    PrintStream out = System.out;

    KubernetesLocks locks = KubernetesLocks.create(Config.fromConfig(kubeconfig));
    LeaderElector elector = LeaderElector.builder(
            locks.lease(namespace, lease, timings.renewDeadline().dividedBy(2)), identity)
        .timings(timings)
        .clock(clock)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            out.println("BEGIN " + context.fencingToken() + " " + System.nanoTime());
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            out.println("END " + context.fencingToken() + " " + System.nanoTime() + " " + reason);
          }
        })
        .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    ScheduledExecutorService actions = Executors.newSingleThreadScheduledExecutor();
    actions.scheduleAtFixedRate(() -> act(elector, identity, resource, http),
        0, ACTION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      actions.shutdownNow();
      elector.close();
      locks.close();
    }));
    elector.start();
    out.println("READY");
  }

  /** The guarded action: checked right before it is sent, with the token of the checked term. */
  private static void act(LeaderElector elector, String identity, URI resource, HttpClient http) {
    Optional<LeaderContext> term = elector.currentTerm();
    if (term.isEmpty()) {
      return;
    }
    long checked = System.nanoTime();
    URI action = resource.resolve("/act?identity=" + identity + "&token="
        + term.get().fencingToken() + "&checked=" + checked);
    try {
      http.send(HttpRequest.newBuilder(action).POST(HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
