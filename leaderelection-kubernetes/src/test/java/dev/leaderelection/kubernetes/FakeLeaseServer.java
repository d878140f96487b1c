package dev.leaderelection.kubernetes;

import static dev.leaderelection.kubernetes.testing.FakeHttpServer.answer;
import static dev.leaderelection.kubernetes.testing.FakeHttpServer.answerNotFound;

import com.sun.net.httpserver.HttpExchange;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server standing in for the API server for one Lease, {@value #NAMESPACE}/{@value
 * #NAME}: GET answers the stored Lease (or waits while reads are withheld), PUT replaces it when
 * its resourceVersion is the stored one (409 otherwise) and numbers the new version, and a watch
 * stays open and carries the events the test sends. Notes every request as {@code METHOD path}.
 * Told to shed load, it answers requests other than watches {@code 429 Too Many Requests} with a
 * {@code Retry-After}, as an API server with too many requests in flight does, and notes every
 * request that arrived before an earlier answer's {@code Retry-After} had passed.
 */
final class FakeLeaseServer implements AutoCloseable {

  static final String NAMESPACE = "payments";
  static final String NAME = "report-job";
  /** A path whose requests wait for {@link #answerSlowRequests()}: an application's slow call. */
  static final String SLOW_PATH = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
  static final String LEASE_PATH =
      "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases/" + NAME;

  private final FakeHttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CompletableFuture<OutputStream> watch = new CompletableFuture<>();
  private volatile CompletableFuture<Void> readsAnswered = CompletableFuture.completedFuture(null);
  private volatile CompletableFuture<Void> readArrived = new CompletableFuture<>();
  private final CompletableFuture<Void> slowAnswered = new CompletableFuture<>();
  private V1Lease stored;
  private long version;
  private int shedding;
  private int retryAfterSeconds;
  /** When the last 429's Retry-After passes, from just before it was sent; 0 before any. */
  private long notBeforeNanos;
  private final List<String> early = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();

  /** Starts serving a Lease held by {@code holder} at resourceVersion {@code version}. */
  FakeLeaseServer(String holder, long version) throws IOException {
    this.version = version;
    this.stored = new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
        .metadata(new V1ObjectMeta().name(NAME).namespace(NAMESPACE).uid("uid-1")
            .resourceVersion(Long.toString(version)))
        .spec(new V1LeaseSpec().holderIdentity(holder).leaseDurationSeconds(15)
            .leaseTransitions(1)
            .renewTime(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
    server = new FakeHttpServer(this::handle);
  }

  String basePath() {
    return server.basePath();
  }

  /** Every request so far, as {@code METHOD path}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  void forgetRequests() {
    requests.clear();
  }

  /**
   * The next {@code answers} requests other than watches are answered 429 with
   * {@code Retry-After: retryAfterSeconds} ({@link Integer#MAX_VALUE} answers: every one from now
   * on; a negative {@code retryAfterSeconds}: without the header). Forgets the requests refused
   * so far.
   */
  synchronized void shedLoad(int answers, int retryAfterSeconds) {
    this.shedding = answers;
    this.retryAfterSeconds = retryAfterSeconds;
    refused.clear();
  }

  /** The requests answered 429 since {@link #shedLoad}, as {@code METHOD path}. */
  List<String> refusedRequests() {
    return List.copyOf(refused);
  }

  /** Requests that arrived before the Retry-After of an earlier 429 had passed. */
  List<String> earlyRequests() {
    return List.copyOf(early);
  }

  /** The Lease as stored now. */
  synchronized V1Lease stored() {
    return copy(stored);
  }

  /** An operator's edit that changes no field of the record: a label, and a new version. */
  synchronized V1Lease addLabel(String key, String value) {
    V1Lease edited = copy(stored);
    edited.getMetadata().putLabelsItem(key, value);
    edited.getMetadata().setResourceVersion(Long.toString(++version));
    stored = edited;
    return copy(edited);
  }

  /** Reads from now on wait, each after noting its arrival, until {@link #answerReads()}. */
  void withholdReads() {
    readArrived = new CompletableFuture<>();
    readsAnswered = new CompletableFuture<>();
  }

  /** Waits until a read arrived since {@link #withholdReads()}. */
  void awaitRead() throws Exception {
    readArrived.get(30, TimeUnit.SECONDS);
  }

  void answerReads() {
    readsAnswered.complete(null);
  }

  /** Answers the requests to {@value #SLOW_PATH}, which wait until now (and later ones at once). */
  void answerSlowRequests() {
    slowAnswered.complete(null);
  }

  /** Waits for the watch to be opened, then sends it one event about {@code lease}. */
  void sendWatchEvent(String type, V1Lease lease) throws Exception {
    OutputStream events = watch.get(30, TimeUnit.SECONDS);
    String line = "{\"type\":\"" + type + "\",\"object\":" + JSON.serialize(lease) + "}\n";
    synchronized (events) {
      events.write(line.getBytes(StandardCharsets.UTF_8));
      events.flush();
    }
  }

  @Override
  public void close() {
    readsAnswered.complete(null);
    slowAnswered.complete(null);
    server.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String query = Objects.requireNonNullElse(exchange.getRequestURI().getQuery(), "");
    requests.add(method + " " + path);
    if (method.equals("GET") && query.contains("watch=true")) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      watch.complete(exchange.getResponseBody());
      return; // the watch stays open until the server stops
    }
    if (shed(exchange, method + " " + path)) {
      return;
    }
    if (path.equals(SLOW_PATH)) {
      slowAnswered.join();
      answer(exchange, 200, "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"items\":[]}");
      return;
    }
    if (!path.equals(LEASE_PATH)) {
      answerNotFound(exchange);
    } else if (method.equals("GET")) {
      readArrived.complete(null);
      readsAnswered.join();
      answer(exchange, 200, JSON.serialize(stored()));
    } else if (method.equals("PUT")) {
      replace(exchange);
    } else {
      answer(exchange, 405, "{\"kind\":\"Status\",\"code\":405}");
    }
  }

  /** Answers 429 when shedding load; notes a request that came before the last Retry-After. */
  private boolean shed(HttpExchange exchange, String request) throws IOException {
    int seconds;
    synchronized (this) {
      long now = System.nanoTime();
      if (notBeforeNanos != 0 && now - notBeforeNanos < 0) {
        early.add(request + " " + TimeUnit.NANOSECONDS.toMillis(notBeforeNanos - now)
            + "ms before the Retry-After passed");
      }
      if (shedding == 0) {
        return false;
      }
      if (shedding != Integer.MAX_VALUE) {
        shedding--;
      }
      seconds = retryAfterSeconds;
      if (seconds >= 0) {
        notBeforeNanos = now + TimeUnit.SECONDS.toNanos(seconds);
      }
      refused.add(request);
    }
    if (seconds >= 0) {
      exchange.getResponseHeaders().add("Retry-After", Integer.toString(seconds));
    }
    answer(exchange, 429, "{\"kind\":\"Status\",\"code\":429,\"reason\":\"TooManyRequests\","
        + "\"message\":\"Too many requests, please try again later.\"}");
    return true;
  }

  private void replace(HttpExchange exchange) throws IOException {
    V1Lease replacement;
    try (InputStream body = exchange.getRequestBody()) {
      replacement = JSON.deserialize(new String(body.readAllBytes(), StandardCharsets.UTF_8),
          V1Lease.class);
    }
    String answer;
    synchronized (this) {
      if (!Objects.equals(replacement.getMetadata().getResourceVersion(),
          stored.getMetadata().getResourceVersion())) {
        answer = null;
      } else {
        replacement.getMetadata().setResourceVersion(Long.toString(++version));
        stored = replacement;
        answer = JSON.serialize(replacement);
      }
    }
    if (answer == null) {
      answer(exchange, 409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\","
          + "\"message\":\"the object has been modified\"}");
    } else {
      answer(exchange, 200, answer);
    }
  }

  private static V1Lease copy(V1Lease lease) {
    return JSON.deserialize(JSON.serialize(lease), V1Lease.class);
  }
}
