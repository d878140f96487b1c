package dev.leaderelection.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaseLockException;
import java.io.IOException;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kubernetes watch, on one named object or on every object of its kind in a namespace,
 * streamed on a daemon thread of its own. When the server ends the watch (its timeout), the next
 * one resumes from the last resourceVersion seen (bookmarks keep it fresh). Any failure,
 * including a version too old to resume from (410 Gone: changes were missed) and a connection
 * silent for longer than the watch timeout, is reported once as broken, so subscribers read the
 * current state again. Closing cancels the call and reports nothing.
 */
final class WatchStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WatchStream.class);

  /** Receives the events of a stream, one at a time, on the stream's thread. */
  interface Events {

    /**
     * An object was added, modified or deleted.
     *
     * @param object the object, or null when it was deleted
     */
    void changed(WatchStream stream, String name, @Nullable JsonObject object);

    /** The stream ended for good; nothing follows. */
    void broken(WatchStream stream, LeaseLockException cause);
  }

  private final ObjectApi<?> api;
  private final @Nullable String name;
  private final Events events;
  private final String description;
  private volatile boolean closed;
  private volatile boolean started;
  private volatile ApiCalls.Stream stream;
  private @Nullable String resourceVersion;

  private WatchStream(ObjectApi<?> api, @Nullable String name, Events events, String description) {
    this.api = api;
    this.name = name;
    this.events = events;
    this.description = description;
  }

  /**
   * Opens the watch now, beginning with the current state, so a refusal is thrown here (within
   * the lock's request timeout); nothing is delivered before {@link #start()}.
   *
   * @param name the one object to watch, or null for every object in the namespace
   */
  static WatchStream open(ObjectApi<?> api, @Nullable String name, Events events,
      String description) {
    WatchStream watch = new WatchStream(api, name, events, description);
    watch.stream = api.openWatch(name, null);
    return watch;
  }

  /** Streams the events on a new thread. */
  void start() {
    started = true;
    Thread thread = new Thread(this::run, "leader-election-watch " + description);
    thread.setDaemon(true);
    try {
      thread.start();
    } catch (RuntimeException | Error e) {
      started = false;
      close();
      throw e;
    }
  }

  /** The watched object's name, or null when the stream watches the whole namespace. */
  @Nullable String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
    stream.call().cancel();
    if (!started) {
      stream.response().close();
    }
  }

  @Override
  public String toString() {
    return "watch on " + description;
  }

  private void run() {
    try {
      while (follow(stream)) {
        log.debug("Watching {} again from resourceVersion {}", description, resourceVersion);
        ApiCalls.Stream next = api.openWatch(name, resourceVersion);
        stream = next;
        if (closed) {
          next.response().close();
          return;
        }
      }
    } catch (LeaseLockException e) {
      broken(e);
    } catch (Throwable e) {
      broken(new LeaseLockException("the watch on " + description + " failed: "
          + e.getMessage(), e));
    }
  }

  /** Delivers the events of one watch; true when the server ended it and it may resume. */
  private boolean follow(ApiCalls.Stream current) throws IOException {
    try (Response response = current.response()) {
      BufferedSource source = response.body().source();
      while (!closed) {
        String line = source.readUtf8Line();
        if (line == null) {
          return !closed;
        }
        if (!line.isBlank()) {
          deliver(line);
        }
      }
      return false;
    }
  }

  /** Delivers one event; an ERROR event ends the watch. */
  private void deliver(String line) {
    JsonObject event = JsonParser.parseString(line).getAsJsonObject();
    String type = event.get("type").getAsString();
    JsonObject object = event.getAsJsonObject("object");
    switch (type) {
      case "ADDED", "MODIFIED", "DELETED" -> {
        JsonObject metadata = object.getAsJsonObject("metadata");
        resourceVersion = text(metadata, "resourceVersion", resourceVersion);
        events.changed(this, metadata.get("name").getAsString(),
            type.equals("DELETED") ? null : object);
      }
      case "BOOKMARK" -> resourceVersion =
          text(object.getAsJsonObject("metadata"), "resourceVersion", resourceVersion);
      default -> {
        String message = object != null && object.has("message")
            ? object.get("message").getAsString() : line;
        throw new LeaseLockException("the watch on " + description + " reported " + type + ": "
            + message);
      }
    }
  }

  private static @Nullable String text(@Nullable JsonObject json, String field,
      @Nullable String fallback) {
    JsonElement value = json == null ? null : json.get(field);
    return value != null && value.isJsonPrimitive() ? value.getAsString() : fallback;
  }

  private void broken(LeaseLockException cause) {
    if (!closed) {
      closed = true;
      events.broken(this, cause);
    }
  }
}
