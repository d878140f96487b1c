package dev.leaderelection.spring.autoconfigure;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.leaderelection.kubernetes.testing.FakeHttpServer;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server that answers like a Kubernetes API server, for starter tests: discovery of
 * {@code coordination.k8s.io} as a server with the CoordinatedLeaderElection gate (serving
 * {@code v1beta1} LeaseCandidates) or without it (404 for {@code v1beta1} and {@code v1alpha2}),
 * or 500 for discovery as a server that cannot answer; and a store of objects that creates (POST
 * to a collection), reads, replaces and deletes them by path. Watches are refused, so locks
 * poll.
 */
final class FakeApiServer implements AutoCloseable {

  static final String CANDIDATES =
      "/apis/coordination.k8s.io/v1beta1/namespaces/jobs/leasecandidates/";
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/jobs/leases/";

  private static final String RESOURCES = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
      + "\"groupVersion\":\"coordination.k8s.io/v1beta1\",\"resources\":[{\"name\":"
      + "\"leasecandidates\",\"singularName\":\"leasecandidate\",\"namespaced\":true,\"kind\":"
      + "\"LeaseCandidate\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"update\","
      + "\"watch\"]}]}";
  private static final String NOT_FOUND = "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
      + "\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";

  /** How discovery of LeaseCandidates is answered. */
  enum Discovery { SERVED, NOT_SERVED, FAILING }

  private final HttpServer server;
  private final Map<String, JsonObject> objects = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private volatile Discovery discovery;

  FakeApiServer(Discovery discovery) {
    this.discovery = discovery;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        answer(exchange);
      }
    });
    server.start();
  }

  /** A client of this server, as an application's {@code ApiClient} bean. */
  ApiClient client() {
    return new ApiClient().setBasePath("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void discovery(Discovery answer) {
    discovery = answer;
  }

  /** The objects stored, by path, such as {@code /apis/.../leases/my-app}. */
  Map<String, JsonObject> objects() {
    return Map.copyOf(objects);
  }

  /** Stores {@code object} at {@code path}, as another client would. */
  void put(String path, JsonObject object) {
    objects.put(path, versioned(object));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = String.valueOf(exchange.getRequestURI().getQuery());
    String method = exchange.getRequestMethod();
    if (path.equals("/apis/coordination.k8s.io/v1beta1")
        || path.equals("/apis/coordination.k8s.io/v1alpha2")) {
      Discovery now = discovery;
      if (now == Discovery.FAILING) {
        send(exchange, 500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd is down\"}");
      } else if (now == Discovery.SERVED && path.endsWith("v1beta1")) {
        send(exchange, 200, RESOURCES);
      } else {
        send(exchange, 404, "404 page not found");
      }
      return;
    }
    if (query.contains("watch=true")) {
      send(exchange, 500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"no watches here\"}");
      return;
    }
    switch (method) {
      case "POST" -> {
        JsonObject created = body(exchange);
        String key = path + "/" + created.getAsJsonObject("metadata").get("name").getAsString();
        if (objects.putIfAbsent(key, versioned(created)) != null) {
          send(exchange, 409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"AlreadyExists\"}");
        } else {
          send(exchange, 201, objects.get(key).toString());
        }
      }
      case "PUT" -> {
        objects.put(path, versioned(body(exchange)));
        send(exchange, 200, objects.get(path).toString());
      }
      case "GET" -> {
        JsonObject stored = objects.get(path);
        send(exchange, stored == null ? 404 : 200, stored == null ? NOT_FOUND : stored.toString());
      }
      case "DELETE" -> {
        JsonObject removed = objects.remove(path);
        send(exchange, removed == null ? 404 : 200, removed == null ? NOT_FOUND
            : "{\"kind\":\"Status\",\"status\":\"Success\"}");
      }
      default -> send(exchange, 405, "{}");
    }
  }

  private JsonObject versioned(JsonObject object) {
    object.getAsJsonObject("metadata").addProperty("resourceVersion",
        Long.toString(versions.incrementAndGet()));
    return object;
  }

  private static JsonObject body(HttpExchange exchange) throws IOException {
    return JsonParser.parseString(new String(exchange.getRequestBody().readAllBytes(),
        StandardCharsets.UTF_8)).getAsJsonObject();
  }

  /** Answers JSON, as the kubernetes module's fakes do. */
  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    FakeHttpServer.answer(exchange, status, body);
  }
}
