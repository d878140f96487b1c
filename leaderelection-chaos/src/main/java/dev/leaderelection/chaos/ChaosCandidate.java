package dev.leaderelection.chaos;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A chaos candidate: one elector (this library's on Kubernetes or etcd, fabric8's or
 * client-java's) in a JVM of its own, reaching the server through its own fault proxy. Every 50 ms it asks its elector
 * whether it leads and, if so, sends a guarded action with the term's fencing token and the time
 * of the check to the harness's {@link FencedResource}. It prints {@code BEGIN <token> <nanos>} and
 * {@code END <token> <nanos> <reason>} on each transition ({@code BEGIN <token> <nanos> PAUSED}
 * for a term begun while the harness had paused the elector), and {@code READY}. A BEGIN's nanos
 * are when the term began, which for this library's elector can be seconds before the listener
 * that prints it runs ({@link OwnElector#begunNanos}). This library's candidates take commands on
 * their standard input ({@link ControlChannel}).
 *
 * <p>Arguments: library, kubeconfig (or etcd endpoint), namespace, lease, identity, lease/renew/retry in
 * milliseconds, the fenced resource's URL, the record clock's skew in seconds (this library
 * only), and optionally the {@link ApplicationTraffic.Load} the application puts on the elector's
 * client once its first term began (such as {@code 100x20}), whose counts it then prints every
 * second as {@code TRAFFIC <answered> <failed>}.
 */
public final class ChaosCandidate {

  static final Duration ACTION_PERIOD = Duration.ofMillis(50);

  /** What a candidate needs of an elector. */
  interface Elector {

    /** Starts competing; reports transitions to {@code transitions}. */
    void start(Transitions transitions) throws Exception;

    /** The fencing token of the term this elector leads in right now, checked now. */
    OptionalLong leadingToken();

    void close();

    /**
     * The application's traffic on this elector's own client (the client its lock calls go
     * through), not yet started.
     */
    default ApplicationTraffic traffic() {
      throw new UnsupportedOperationException("no application traffic on this elector");
    }
  }

  /** Where an elector reports its transitions. */
  interface Transitions {

    /**
     * A term began at {@code begunNanos} (System.nanoTime); {@code whilePaused} when its lease was
     * acquired after the harness paused the elector and before it resumed it (design rule 10 says
     * no term begins then).
     */
    void began(long token, long begunNanos, boolean whilePaused);

    void ended(long token, String reason);
  }

  /**
   * The arguments every elector gets.
   *
   * @param server the kubeconfig file, or for {@code leaderelection-etcd} the etcd endpoint
   */
  record Arguments(String server, String namespace, String lease, String identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, long skewSeconds) {
  }

  private ChaosCandidate() {
  }

  public static void main(String[] args) throws Exception {
    Arguments arguments = new Arguments(args[1], args[2], args[3], args[4],
        Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])),
        Duration.ofMillis(Long.parseLong(args[7])), Long.parseLong(args[9]));
    URI resource = URI.create(args[8]);
    Elector elector = switch (args[0]) {
      case "leaderelection" -> OwnElector.onKubernetes(arguments);
      case ChaosRunner.ON_ETCD, ChaosRunner.ON_ETCD_CLUSTER -> OwnElector.onEtcd(arguments);
      case "fabric8" -> new Fabric8Elector(arguments);
      case "client-java" -> new ClientJavaElector(arguments);
      default -> throw new IllegalArgumentException("unknown library " + args[0]);
    };
    PrintStream out = System.out;
    ApplicationTraffic.Load load = args.length > 10 ? ApplicationTraffic.Load.parse(args[10])
        : null;
    ApplicationTraffic traffic = load == null ? null : elector.traffic();
    AtomicBoolean trafficStarted = new AtomicBoolean();
    elector.start(new Transitions() {
      @Override
      public void began(long token, long begunNanos, boolean whilePaused) {
        out.println("BEGIN " + token + " " + begunNanos + (whilePaused ? " PAUSED" : ""));
        if (traffic != null && trafficStarted.compareAndSet(false, true)) {
          ApplicationTraffic.daemon("application-traffic", () -> traffic.start(load));
        }
      }

      @Override
      public void ended(long token, String reason) {
        out.println("END " + token + " " + System.nanoTime() + " " + reason);
      }
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    ScheduledExecutorService actions = Executors.newSingleThreadScheduledExecutor();
    actions.scheduleAtFixedRate(() -> act(elector, arguments.identity(), resource, http),
        0, ACTION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    if (traffic != null) {
      actions.scheduleAtFixedRate(() -> out.println("TRAFFIC " + traffic.counts()), 1, 1,
          TimeUnit.SECONDS);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      actions.shutdownNow();
      if (traffic != null) {
        traffic.close();
      }
      elector.close();
    }));
    if (elector instanceof ControlChannel.Controls controls) {
      ControlChannel.start(System.in, controls, System.err);
    }
    out.println("READY");
  }

  /** Sleeps for {@code duration}; an interrupt ends the sleep and stays set. */
  static void sleep(Duration duration) {
    try {
      TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The guarded action: checked right before it is sent, with the token of the checked term.
   * Nothing it throws may cancel the next one (a scheduled task that throws never runs again).
   */
  private static void act(Elector elector, String identity, URI resource, HttpClient http) {
    try {
      send(elector, identity, resource, http);
    } catch (RuntimeException | Error e) {
      System.err.println("guarded action failed: " + e);
    }
  }

  private static void send(Elector elector, String identity, URI resource, HttpClient http) {
    OptionalLong token = elector.leadingToken();
    if (token.isEmpty()) {
      return;
    }
    long checked = System.nanoTime();
    URI action = resource.resolve("/act?identity=" + identity + "&token=" + token.getAsLong()
        + "&checked=" + checked);
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
