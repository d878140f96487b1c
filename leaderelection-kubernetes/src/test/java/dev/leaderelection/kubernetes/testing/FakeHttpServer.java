package dev.leaderelection.kubernetes.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a free loopback port that hands every request to one handler, each on a
 * thread of its own, and answers with JSON: the scaffolding of the tests' fake API servers.
 */
public final class FakeHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  /** Starts serving every path with {@code handler}. */
  public FakeHttpServer(HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/", handler);
    server.start();
  }

  /** The base path a client of this server is given. */
  public String basePath() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code code} with the JSON {@code body}. */
  public static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Answers 404 with the API server's Status. */
  public static void answerNotFound(HttpExchange exchange) throws IOException {
    answer(exchange, 404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}");
  }

  /** Stops at once, interrupting the handlers still at work. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
