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
 *
 * <p>A plain candidate sends {@code /act?identity=&token=&checked=}; a sharded one
 * ({@link ShardedCandidate}) sends all its shards' actions of one tick at once,
 * {@code /act?identity=&shards=<shard>:<token>:<checked>,...}, and each shard is fenced on its
 * own (a user's storage keeps one token per shard's data).
 */
final class FencedResource implements AutoCloseable {

  /**
   * One action as it arrived; {@code shard} is the shard of a sharded group whose term took it
   * (0 for a plain election, whose candidates send no shard).
   */
  record Action(String identity, long token, long checkedNanos, long arrivedNanos,
      boolean accepted, int shard) {

    /** An action of a plain election (shard 0). */
    Action(String identity, long token, long checkedNanos, long arrivedNanos, boolean accepted) {
      this(identity, token, checkedNanos, arrivedNanos, accepted, 0);
    }
  }

  private final HttpServer server;
  private final List<Action> actions = new ArrayList<>();
  /** The highest token accepted, by shard (a plain election is shard 0). */
  private final Map<Integer, Long> highestAccepted = new HashMap<>();

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
      query.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    String identity = query.get("identity").intern();
    List<long[]> taken = new ArrayList<>(); // {shard, token, checked}
    if (query.containsKey("shards")) {
      for (String entry : query.get("shards").split(",")) {
        if (!entry.isEmpty()) {
          String[] parts = entry.split(":");
          taken.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]),
              Long.parseLong(parts[2])});
        }
      }
    } else {
      taken.add(new long[] {0, Long.parseLong(query.get("token")),
          Long.parseLong(query.get("checked"))});
    }
    boolean allAccepted = true;
    synchronized (this) {
      long arrived = System.nanoTime();
      for (long[] one : taken) {
        int shard = (int) one[0];
        long token = one[1];
        boolean accepted = token >= highestAccepted.getOrDefault(shard, -1L);
        if (accepted) {
          highestAccepted.put(shard, token);
        }
        allAccepted &= accepted;
        actions.add(new Action(identity, token, one[2], arrived, accepted, shard));
      }
    }
    exchange.sendResponseHeaders(allAccepted ? 204 : 409, -1);
    exchange.close();
  }

  /**
   * For each shard with an action checked at or after {@code nanos}: its earliest such check,
   * among the actions received since then (as {@link #firstCheckedSince(long)} reads them).
   */
  synchronized Map<Integer, Long> shardsCheckedSince(long nanos) {
    Map<Integer, Long> shards = new HashMap<>();
    for (int i = actions.size() - 1; i >= 0 && actions.get(i).arrivedNanos() >= nanos; i--) {
      Action action = actions.get(i);
      if (action.checkedNanos() >= nanos) {
        shards.merge(action.shard(), action.checkedNanos(), Math::min);
      }
    }
    return shards;
  }
}
