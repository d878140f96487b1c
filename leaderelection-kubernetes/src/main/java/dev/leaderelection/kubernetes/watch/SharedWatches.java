package dev.leaderelection.kubernetes.watch;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.ObjectApi;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of all locks of one {@link KubernetesLocks} on one kind of object in one namespace,
 * so the number of watch threads does not grow with the number of elections. Locks on one name
 * share one watch on it. Once locks on two or more names subscribe, and sharing is allowed, one
 * watch on the whole namespace serves them all; when the client may not watch the whole namespace
 * (RBAC grants {@code watch} only with {@code resourceNames}), each name keeps a watch of its own
 * and this is logged once.
 *
 * <p>Each {@link WatchStream} keeps itself up; this class routes what it reports to the
 * subscribers of the objects it covers: that it is up or down, and each change, in the order the
 * server applied them. A subscriber joining a watch that is up hears so at once, with the
 * object's current state. A watch ends when its last subscriber leaves, or when the
 * {@link WatchRegistry} that made it closes. Each event is decoded once, for every subscriber of
 * its object. Thread-safe.
 */
final class SharedWatches<T extends KubernetesObject> {

  private static final Logger log = LoggerFactory.getLogger(SharedWatches.class);

  /** What one shared set of watches covers. */
  record Scope(String resource, String namespace) {
  }

  /** The latest state seen of an object, numbered in the order the watches delivered it. */
  private record Latest<T>(long sequence, @Nullable T object) {
  }

  /** Whether a stream is up (no failure) or down, numbered like the changes. */
  private record StreamState(long sequence, @Nullable LeaseLockException failure) {
  }

  private final Scope scope;
  private final Class<T> type;
  private final WatchRegistry registry;
  private final WatchStream.Events events = new StreamEvents();
  private final Map<String, List<WatchSubscription<T>>> subscribers = new HashMap<>();
  private final Map<String, Latest<T>> latest = new HashMap<>();
  private final Map<String, WatchStream> nameStreams = new HashMap<>();
  private final Map<WatchStream, StreamState> states = new HashMap<>();
  private @Nullable WatchStream namespaceStream;
  private @Nullable WatchStream pendingNamespace;
  private boolean namespaceForbidden;
  private boolean retired;
  private long sequence;

  SharedWatches(Scope scope, Class<T> type, WatchRegistry registry) {
    this.scope = scope;
    this.type = type;
    this.registry = registry;
  }

  /**
   * Subscribes to the object {@code api} names, starting a watch that covers it when none does
   * yet; what the watch reports reaches {@code subscriber} from then on.
   *
   * @return the subscription, or null when these watches retired and a new set must be made
   */
  @Nullable WatchSubscription<T> add(ObjectApi<T> api,
      WatchSubscription.Subscriber<T> subscriber) {
    String name = api.object().name();
    WatchSubscription<T> subscription = new WatchSubscription<>(api, subscriber, this::remove);
    StreamState state;
    Latest<T> current;
    synchronized (this) {
      if (retired) {
        return null;
      }
      subscribers.computeIfAbsent(name, key -> new ArrayList<>()).add(subscription);
      WatchStream covering = covering(name);
      if (covering == null && pendingNamespace == null) {
        if (api.shareNamespaceWatch() && !namespaceForbidden && subscribers.size() > 1) {
          pendingNamespace = WatchStream.start(api::openWatch, null, events,
              namespaceDescription());
        } else {
          nameStreams.put(name, WatchStream.start(api::openWatch, name, events,
              api.object().toString()));
        }
      }
      state = covering == null ? null : states.get(covering);
      current = latest.get(name);
    }
    if (state != null) {
      subscription.state(state.sequence(), state.failure());
      if (state.failure() == null && current != null) {
        subscription.deliver(current.sequence(), current.object());
      }
    }
    return subscription;
  }

  /** How many objects' latest states are kept; for tests. */
  synchronized int objectsKept() {
    return latest.size();
  }

  /** Ends every watch and tells every subscriber; the registry that made these watches closed. */
  void close(LeaseLockException cause) {
    List<WatchSubscription<T>> affected = new ArrayList<>();
    long number;
    synchronized (this) {
      subscribers.values().forEach(affected::addAll);
      subscribers.clear();
      nameStreams.values().forEach(WatchStream::close);
      nameStreams.clear();
      retireIfUnused();
      number = ++sequence;
    }
    affected.forEach(subscription -> subscription.state(number, cause));
  }

  private synchronized void remove(WatchSubscription<T> subscription) {
    String name = subscription.name();
    List<WatchSubscription<T>> named = subscribers.get(name);
    if (named == null || !named.remove(subscription)) {
      return;
    }
    if (named.isEmpty()) {
      subscribers.remove(name);
      latest.remove(name);
      WatchStream stream = nameStreams.remove(name);
      if (stream != null) {
        states.remove(stream);
        stream.close();
      }
    }
    retireIfUnused();
  }

  private void retireIfUnused() {
    if (!subscribers.isEmpty()) {
      return;
    }
    for (WatchStream stream : new WatchStream[] {namespaceStream, pendingNamespace}) {
      if (stream != null) {
        stream.close();
      }
    }
    namespaceStream = null;
    pendingNamespace = null;
    latest.clear();
    states.clear();
    retired = true;
    registry.retired(scope, this);
  }

  private @Nullable WatchStream covering(String name) {
    return namespaceStream != null ? namespaceStream : nameStreams.get(name);
  }

  /** The subscribers a current stream serves; empty for a stream that is not current. */
  private List<WatchSubscription<T>> servedBy(WatchStream stream) {
    List<WatchSubscription<T>> served = new ArrayList<>();
    if (stream == namespaceStream) {
      subscribers.values().forEach(served::addAll);
    } else if (stream.name() != null && nameStreams.get(stream.name()) == stream) {
      served.addAll(subscribers.getOrDefault(stream.name(), List.of()));
    }
    return served;
  }

  private String namespaceDescription() {
    return scope.resource() + " in namespace " + scope.namespace();
  }

  /**
   * The watch on the whole namespace could not be opened: each name watches alone (for good when
   * RBAC forbids the namespace watch, which is logged once).
   */
  private void namespaceRefused(WatchStream stream, LeaseLockException cause) {
    stream.close();
    pendingNamespace = null;
    if (cause instanceof KubernetesApiException refusal && refusal.isForbidden()) {
      namespaceForbidden = true;
      log.info("The elections on {} in namespace {} each watch their own object, on a thread "
          + "of their own, because this identity may watch only named objects there. Grant the "
          + "verb 'watch' on {} in namespace {} without resourceNames to share one watch and one "
          + "thread among them.", scope.resource(), scope.namespace(), scope.resource(),
          scope.namespace());
    } else {
      log.debug("Cannot watch {} ({}); each name watches alone", namespaceDescription(),
          cause.getMessage());
    }
    subscribers.forEach((name, named) -> {
      if (namespaceStream == null && !nameStreams.containsKey(name)) {
        ObjectApi<T> api = named.get(0).api();
        nameStreams.put(name, WatchStream.start(api::openWatch, name, events,
            api.object().toString()));
      }
    });
  }

  /** Routes what every stream reports to the subscribers of the objects it covers. */
  private final class StreamEvents implements WatchStream.Events {

    @Override
    public void connected(WatchStream stream) {
      List<WatchStream> replaced = new ArrayList<>();
      List<WatchSubscription<T>> targets;
      long number;
      synchronized (SharedWatches.this) {
        if (stream == pendingNamespace) {
          pendingNamespace = null;
          namespaceStream = stream;
          replaced.addAll(nameStreams.values());
          replaced.forEach(states::remove);
          nameStreams.clear();
          latest.clear();
          log.debug("One watch on {} serves {} names", namespaceDescription(),
              subscribers.size());
        }
        targets = servedBy(stream);
        if (targets.isEmpty() && stream != namespaceStream) {
          return;
        }
        number = ++sequence;
        states.put(stream, new StreamState(number, null));
      }
      replaced.forEach(WatchStream::close);
      targets.forEach(subscription -> subscription.state(number, null));
    }

    @Override
    public void changed(WatchStream stream, String name, @Nullable JsonObject json) {
      synchronized (SharedWatches.this) {
        if (!subscribers.containsKey(name)) {
          // A namespace watch sees every object there: one no lock here subscribes to is
          // neither decoded nor kept, so cost grows with this JVM's elections, not with the
          // namespace. (A lock subscribing later reads before it acts, as every lock does.)
          return;
        }
      }
      T object = null;
      LeaseLockException unreadable = null;
      try {
        object = json == null ? null : JSON.getGson().fromJson(json, type);
      } catch (RuntimeException e) {
        unreadable = new LeaseLockException("a change of " + scope.resource() + " "
            + scope.namespace() + "/" + name + " could not be read: " + e.getMessage(), e);
      }
      long number;
      List<WatchSubscription<T>> targets;
      synchronized (SharedWatches.this) {
        if (stream != namespaceStream && nameStreams.get(name) != stream) {
          return;
        }
        number = ++sequence;
        if (object != null) {
          latest.put(name, new Latest<>(number, object));
        } else {
          latest.remove(name);
        }
        targets = List.copyOf(subscribers.getOrDefault(name, List.of()));
      }
      for (WatchSubscription<T> subscription : targets) {
        if (unreadable != null) {
          subscription.unreadable(number, unreadable);
        } else {
          subscription.deliver(number, object);
        }
      }
    }

    @Override
    public void broken(WatchStream stream, LeaseLockException cause) {
      List<WatchSubscription<T>> targets;
      long number;
      synchronized (SharedWatches.this) {
        if (stream == pendingNamespace) {
          namespaceRefused(stream, cause);
          return;
        }
        targets = servedBy(stream);
        if (targets.isEmpty()) {
          return;
        }
        number = ++sequence;
        states.put(stream, new StreamState(number, cause));
        targets.forEach(subscription -> latest.remove(subscription.name()));
      }
      targets.forEach(subscription -> subscription.state(number, cause));
    }
  }
}
