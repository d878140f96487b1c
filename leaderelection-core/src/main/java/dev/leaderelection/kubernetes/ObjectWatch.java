package dev.leaderelection.kubernetes;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.RecordWatcher;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the changes of one named object from Kubernetes watches, on a daemon thread of its
 * own, to a {@link RecordWatcher}: ADDED and MODIFIED as records, DELETED as empty. When the
 * server ends a watch (its timeout), the next one is opened at once; an ERROR event or a failure
 * (including a connection silent for longer than the watch timeout) is reported once as broken.
 * Closing cancels the call and reports nothing.
 */
final class ObjectWatch<T extends KubernetesObject> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ObjectWatch.class);
  /** Longer than the server's watch timeout: silence beyond it means a dead connection. */
  static final Duration READ_TIMEOUT =
      Duration.ofSeconds(KubernetesLocks.WATCH_TIMEOUT_SECONDS + 30);

  private final ObjectApi<T> api;
  private final Function<T, LeaderRecord> decode;
  private final RecordWatcher watcher;
  private final String description;
  private volatile boolean closed;
  private volatile ApiCalls.Stream stream;

  private ObjectWatch(ObjectApi<T> api, Function<T, LeaderRecord> decode, RecordWatcher watcher,
      String description) {
    this.api = api;
    this.decode = decode;
    this.watcher = watcher;
    this.description = description;
  }

  /** Opens the watch now (so a refusal is thrown here) and streams it on a new thread. */
  static <T extends KubernetesObject> ObjectWatch<T> start(ObjectApi<T> api,
      Function<T, LeaderRecord> decode, RecordWatcher watcher, String description) {
    ObjectWatch<T> watch = new ObjectWatch<>(api, decode, watcher, description);
    watch.stream = api.openWatch(READ_TIMEOUT);
    Thread thread = new Thread(watch::run, "leader-election-watch " + description);
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | Error e) {
      watch.stream.response().close();
      throw e;
    }
    return watch;
  }

  @Override
  public void close() {
    closed = true;
    stream.call().cancel();
  }

  private void run() {
    try {
      while (!closed) {
        if (!follow(stream)) {
          return;
        }
        log.debug("The server ended the watch on {}; watching again", description);
        stream = api.openWatch(READ_TIMEOUT);
      }
    } catch (LeaseLockException e) {
      broken(e);
    } catch (IOException | RuntimeException e) {
      broken(new LeaseLockException("the watch on " + description + " failed: "
          + e.getMessage(), e));
    }
  }

  /** Delivers the events of one watch; true when the server ended it normally. */
  private boolean follow(ApiCalls.Stream current) throws IOException {
    try (Response response = current.response()) {
      BufferedSource source = response.body().source();
      while (!closed) {
        String line = source.readUtf8Line();
        if (line == null) {
          return true;
        }
        if (!line.isBlank() && !deliver(line)) {
          return false;
        }
      }
      return false;
    }
  }

  /** Delivers one event; returns false once the watch is broken. */
  private boolean deliver(String line) {
    JsonObject event = JsonParser.parseString(line).getAsJsonObject();
    String type = event.get("type").getAsString();
    JsonObject object = event.getAsJsonObject("object");
    switch (type) {
      case "ADDED", "MODIFIED" -> {
        T changed = JSON.deserialize(object.toString(), api.type());
        watcher.changed(Optional.of(decode.apply(changed)));
      }
      case "DELETED" -> watcher.changed(Optional.empty());
      case "BOOKMARK" -> log.trace("Bookmark on {}", description);
      default -> {
        String message = object != null && object.has("message")
            ? object.get("message").getAsString() : line;
        broken(new LeaseLockException("the watch on " + description + " reported " + type
            + ": " + message));
        return false;
      }
    }
    return true;
  }

  private void broken(LeaseLockException cause) {
    if (!closed) {
      closed = true;
      watcher.broken(cause);
    }
  }
}
