package dev.leaderelection.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaseLockException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kubernetes watch, on one named object or on every object of its kind in a namespace,
 * streamed on a daemon thread of its own. When the server ends the watch (its timeout), the next
 * one resumes from the last resourceVersion seen (bookmarks keep it fresh); when that version is
 * too old (410 Gone) it starts again from the current state. Any other failure, including a
 * connection silent for longer than the watch timeout, is reported once as broken. Closing cancels
 * the call and reports nothing.
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
  private volatile ApiCalls.Stream stream;
  private @Nullable String resourceVersion;

  private WatchStream(ObjectApi<?> api, @Nullable String name, Events events, String description) {
    this.api = api;
    this.name = name;
    this.events = events;
    this.description = description;
  }

  /**
   * Opens the watch now, so a refusal is thrown here (within the lock's request timeout), and
   * streams it on a new thread.
   *
   * @param name the one object to watch, or null for every object in the namespace
   */
  static WatchStream start(ObjectApi<?> api, @Nullable String name, Events events,
      String description) {
    WatchStream watch = new WatchStream(api, name, events, description);
    watch.stream = api.openWatch(name, null);
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

  /** The watched object's name, or null when the stream watches the whole namespace. */
  @Nullable String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
    stream.call().cancel();
  }

  @Override
  public String toString() {
    return "watch on " + description;
  }

  private void run() {
    try {
      while (!closed) {
        Ending ending = follow(stream);
        if (ending == Ending.CLOSED) {
          return;
        }
        if (ending == Ending.GONE) {
          log.debug("resourceVersion {} of {} is gone; watching from the current state",
              resourceVersion, description);
          resourceVersion = null;
        }
        stream = reopen();
      }
    } catch (LeaseLockException e) {
      broken(e);
    } catch (IOException | RuntimeException e) {
      broken(new LeaseLockException("the watch on " + description + " failed: "
          + e.getMessage(), e));
    }
  }

  private ApiCalls.Stream reopen() {
    log.debug("Watching {} again from resourceVersion {}", description, resourceVersion);
    try {
      return api.openWatch(name, resourceVersion);
    } catch (KubernetesApiException e) {
      if (e.statusCode() != 410 || resourceVersion == null) {
        throw e;
      }
      resourceVersion = null;
      return api.openWatch(name, null);
    }
  }

  private enum Ending { ENDED_BY_SERVER, GONE, CLOSED }

  /** Delivers the events of one watch until it ends. */
  private Ending follow(ApiCalls.Stream current) throws IOException {
    try (Response response = current.response()) {
      BufferedSource source = response.body().source();
      while (!closed) {
        String line = source.readUtf8Line();
        if (line == null) {
          return Ending.ENDED_BY_SERVER;
        }
        if (!line.isBlank()) {
          Ending ending = deliver(line);
          if (ending != null) {
            return ending;
          }
        }
      }
      return Ending.CLOSED;
    }
  }

  /** Delivers one event; returns how the watch ended when the event ends it. */
  private @Nullable Ending deliver(String line) {
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
        if (object != null && object.has("code") && object.get("code").getAsInt() == 410) {
          return Ending.GONE;
        }
        String message = object != null && object.has("message")
            ? object.get("message").getAsString() : line;
        throw new LeaseLockException("the watch on " + description + " reported " + type + ": "
            + message);
      }
    }
    return null;
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
