package dev.leaderelection.kubernetes.watch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.WatchBackoff;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.ObjectApi;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kubernetes watch, on one named object or on every object of its kind in a namespace, kept
 * up on a daemon thread of its own until closed. It owns the watch's whole life:
 * <ul>
 *   <li>connecting: each open must answer within the lock's request timeout; a fresh connection
 *       begins with the current objects and is reported as {@link Events#connected};</li>
 *   <li>resuming: when the server ends the watch (its timeout) the next one resumes from the last
 *       resourceVersion seen (bookmarks keep it fresh), silently;</li>
 *   <li>reconnecting: any failure, including a version too old to resume from (410 Gone: changes
 *       were missed) and a connection silent for longer than the watch timeout, is reported as
 *       {@link Events#broken}, and a fresh connection follows after a {@link WatchBackoff}.</li>
 * </ul>
 * Closing cancels the call and stops the thread; nothing is reported after it.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code coordinated} package can watch a LeaseCandidate; it may change in any release.
 */
public final class WatchStream implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WatchStream.class);

  /** Opens one watch, as {@link ObjectApi#openWatch} does. */
  @FunctionalInterface
  public interface Opener {

    /**
     * @param name the one object to watch, or null for every object of the kind in the namespace
     * @param resourceVersion where to resume, or null to begin with the current state
     * @throws LeaseLockException when the watch cannot be opened
     */
    ApiCalls.Stream open(@Nullable String name, @Nullable String resourceVersion);
  }

  /** Receives what happens to a stream, one call at a time, on the stream's thread. */
  public interface Events {

    /** A fresh connection is up; the current objects follow as changes. */
    void connected(WatchStream stream);

    /**
     * An object was added, modified or deleted.
     *
     * @param object the object, or null when it was deleted
     */
    void changed(WatchStream stream, String name, @Nullable JsonObject object);

    /** The watch failed; it connects again after a backoff. */
    void broken(WatchStream stream, LeaseLockException cause);
  }

  private final Opener api;
  private final @Nullable String name;
  private final Events events;
  private final String description;
  private final WatchBackoff backoff = new WatchBackoff();
  private final Thread thread;
  private volatile boolean closed;
  private volatile ApiCalls.@Nullable Stream stream;
  private @Nullable String resourceVersion;

  private WatchStream(Opener api, @Nullable String name, Events events,
      String description) {
    this.api = api;
    this.name = name;
    this.events = events;
    this.description = description;
    this.thread = new Thread(this::run, "leader-election-watch " + description);
    thread.setDaemon(true);
  }

  /**
   * Starts watching on a new thread.
   *
   * @param name the one object to watch, or null for every object in the namespace
   */
  public static WatchStream start(Opener api, @Nullable String name, Events events,
      String description) {
    WatchStream stream = new WatchStream(api, name, events, description);
    stream.thread.start();
    return stream;
  }

  /** The watched object's name, or null when the stream watches the whole namespace. */
  @Nullable String name() {
    return name;
  }

  @Override
  public void close() {
    closed = true;
    ApiCalls.Stream current = stream;
    if (current != null) {
      current.call().cancel();
    }
    thread.interrupt();
  }

  @Override
  public String toString() {
    return "watch on " + description;
  }

  private void run() {
    while (!closed) {
      try {
        boolean fresh = resourceVersion == null;
        ApiCalls.Stream opened = api.open(name, resourceVersion);
        stream = opened;
        if (closed) {
          opened.response().close();
          return;
        }
        if (fresh) {
          backoff.connected(System.nanoTime());
          events.connected(this);
        }
        if (follow(opened)) {
          log.debug("Watching {} again from resourceVersion {}", description, resourceVersion);
        }
      } catch (LeaseLockException e) {
        failed(e);
      } catch (Throwable e) {
        failed(new LeaseLockException("the watch on " + description + " failed: "
            + e.getMessage(), e));
      }
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
        resourceVersion = resourceVersionOf(metadata);
        events.changed(this, metadata.get("name").getAsString(),
            type.equals("DELETED") ? null : object);
      }
      case "BOOKMARK" -> resourceVersion = resourceVersionOf(object.getAsJsonObject("metadata"));
      default -> {
        String message = object != null && object.has("message")
            ? object.get("message").getAsString() : line;
        throw new LeaseLockException("the watch on " + description + " reported " + type + ": "
            + message);
      }
    }
  }

  private @Nullable String resourceVersionOf(@Nullable JsonObject metadata) {
    JsonElement value = metadata == null ? null : metadata.get("resourceVersion");
    return value != null && value.isJsonPrimitive() ? value.getAsString() : resourceVersion;
  }

  /** Reports the failure, then waits out the backoff; the next connection is fresh. */
  private void failed(LeaseLockException cause) {
    if (closed) {
      return;
    }
    resourceVersion = null;
    stream = null;
    events.broken(this, cause);
    long delay = backoff.failedNanos(System.nanoTime());
    log.debug("Watch on {} broke ({}); connecting again in {} ms", description,
        cause.getMessage(), TimeUnit.NANOSECONDS.toMillis(delay));
    try {
      TimeUnit.NANOSECONDS.sleep(delay);
    } catch (InterruptedException e) {
      // closed: the loop ends
    }
  }
}
