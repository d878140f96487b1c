package dev.leaderelection.kubernetes;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderRecord;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.RecordWatcher;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the changes of one named object from a Kubernetes watch, on a daemon thread of its
 * own, to a {@link RecordWatcher}: ADDED and MODIFIED as records, DELETED as empty. The end of the
 * stream, an ERROR event or a failure is reported once as broken; closing reports nothing.
 */
final class ObjectWatch<T extends KubernetesObject> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ObjectWatch.class);

  private final ObjectApi<T> api;
  private final Function<T, LeaderRecord> decode;
  private final RecordWatcher watcher;
  private final String description;
  private volatile boolean closed;
  private volatile Response response;

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
    watch.response = api.openWatch();
    Thread thread = new Thread(watch::stream, "leader-election-watch " + description);
    thread.setDaemon(true);
    thread.start();
    return watch;
  }

  @Override
  public void close() {
    closed = true;
    Response open = response;
    if (open != null) {
      open.close();
    }
  }

  private void stream() {
    try (Response open = response) {
      BufferedSource source = open.body().source();
      while (!closed) {
        String line = source.readUtf8Line();
        if (line == null) {
          broken(new LeaseLockException("the watch on " + description + " ended"));
          return;
        }
        if (!line.isBlank() && !deliver(line)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      broken(new LeaseLockException("the watch on " + description + " failed: "
          + e.getMessage(), e));
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
