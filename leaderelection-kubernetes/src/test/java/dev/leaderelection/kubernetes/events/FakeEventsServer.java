package dev.leaderelection.kubernetes.events;

import static dev.leaderelection.kubernetes.testing.FakeHttpServer.answer;
import static dev.leaderelection.kubernetes.testing.FakeHttpServer.answerNotFound;

import com.sun.net.httpserver.HttpExchange;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server standing in for the API server's Leases and Events in namespace
 * {@value #NAMESPACE}: a GET of Lease {@code name} answers it with uid {@code uid-<name>}, a POST
 * of an {@code events.k8s.io/v1} Event is kept and answered 201, or 403 when told to refuse, and
 * is held while told to hang.
 */
final class FakeEventsServer implements AutoCloseable {

  static final String NAMESPACE = "payments";
  private static final String LEASES =
      "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases/";
  private static final String EVENTS = "/apis/events.k8s.io/v1/namespaces/" + NAMESPACE
      + "/events";

  private final FakeHttpServer server;
  private final List<EventsV1Event> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch answer = new CountDownLatch(1);
  private volatile boolean refusing;
  private volatile boolean hanging;

  FakeEventsServer() throws IOException {
    server = new FakeHttpServer(this::handle);
  }

  String basePath() {
    return server.basePath();
  }

  /** The Events created so far, in the order they arrived. */
  List<EventsV1Event> events() {
    return List.copyOf(events);
  }

  /** Answers every Event 403 Forbidden from now on, as RBAC without create on events does. */
  void refuseEvents() {
    refusing = true;
  }

  /** Holds every request for an Event unanswered until {@link #close()}. */
  void hangEvents() {
    hanging = true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if ("GET".equals(exchange.getRequestMethod()) && path.startsWith(LEASES)) {
      String name = path.substring(LEASES.length());
      answer(exchange, 200, JSON.serialize(new V1Lease().apiVersion("coordination.k8s.io/v1")
          .kind("Lease").metadata(new V1ObjectMeta().namespace(NAMESPACE).name(name)
              .uid("uid-" + name).resourceVersion("1"))));
    } else if ("POST".equals(exchange.getRequestMethod()) && path.equals(EVENTS)) {
      postEvent(exchange);
    } else {
      answerNotFound(exchange);
    }
  }

  private void postEvent(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (hanging) {
      try {
        answer.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (refusing) {
      answer(exchange, 403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
          + "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"events.events.k8s.io is "
          + "forbidden: User \\\"pod-a\\\" cannot create resource \\\"events\\\"\"}");
      return;
    }
    events.add(JSON.deserialize(body, EventsV1Event.class));
    answer(exchange, 201, body);
  }

  @Override
  public void close() {
    answer.countDown();
    server.close();
  }
}
