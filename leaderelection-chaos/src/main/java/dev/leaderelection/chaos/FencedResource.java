package dev.leaderelection.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The external system the leaders guard: it records every action in the order it arrives (the
 * arrival time taken in that order), and
 * accepts one only when its fencing token is at least the highest it accepted before (the
 * fencing a user's storage would do). A real HTTP server on the loopback interface. Thread-safe.
 */
final class FencedResource implements AutoCloseable {

  /** One action as it arrived. */
  record Action(String identity, long token, long checkedNanos, long arrivedNanos,
      boolean accepted) {
  }

  private final HttpServer server;
  private final List<Action> actions = new ArrayList<>();
  private long highestAccepted = -1;

  FencedResource() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/act", this::act);
    server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "fenced-resource");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  synchronized List<Action> actions() {
    return List.copyOf(actions);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * The earliest check time at or after {@code nanos} among the actions received, if any. Reads
   * only the actions that arrived since then: an action arrives after its check, and the list is
   * in order of arrival.
   */
  OptionalLong firstCheckedSince(long nanos) {
    return firstCheckedSince(nanos, action -> true);
  }

  /** As {@link #firstCheckedSince(long)}, among the actions {@code counted} accepts. */
  synchronized OptionalLong firstCheckedSince(long nanos, Predicate<Action> counted) {
    long first = Long.MAX_VALUE;
    for (int i = actions.size() - 1; i >= 0 && actions.get(i).arrivedNanos() >= nanos; i--) {
      Action action = actions.get(i);
      if (action.checkedNanos() >= nanos && counted.test(action)) {
        first = Math.min(first, action.checkedNanos());
      }
    }
    return first == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(first);
  }

  private void act(HttpExchange exchange) throws IOException {
    Map<String, String> query = new HashMap<>();
    for (String pair : exchange.getRequestURI().getQuery().split("&")) {
      String[] parts = pair.split("=", 2);
      query.put(parts[0], parts[1]);
    }
    long token = Long.parseLong(query.get("token"));
    boolean accepted;
    synchronized (this) {
      long arrived = System.nanoTime();
      accepted = token >= highestAccepted;
      if (accepted) {
        highestAccepted = token;
      }
      actions.add(new Action(query.get("identity"), token,
          Long.parseLong(query.get("checked")), arrived, accepted));
    }
    exchange.sendResponseHeaders(accepted ? 204 : 409, -1);
    exchange.close();
  }
}
