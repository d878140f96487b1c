package dev.leaderelection.kubernetes;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
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
 * <p>Each subscriber receives the changes of its object in the order the server applied them,
 * beginning with the object's current state when its watch already runs. When a watch breaks, its
 * subscribers are told and dropped; they subscribe again. A watch ends when its last subscriber
 * leaves, or when the {@link WatchRegistry} that made it closes. Each event is decoded once, for
 * every subscriber of its object. Thread-safe.
 */
final class SharedWatches<T extends KubernetesObject> {

  private static final Logger log = LoggerFactory.getLogger(SharedWatches.class);

  /** Receives the changes of one object; calls arrive one at a time. */
  interface Subscriber<T> {

    /** @param object the object's new state, or null when it was deleted */
    void changed(@Nullable T object);

    /** The watch broke; nothing follows. */
    void broken(LeaseLockException cause);
  }

  /** What one shared set of watches covers. */
  record Scope(String resource, String namespace) {
  }

  /** The latest state seen of an object, numbered in the order the watches delivered it. */
  private record Latest<T>(long sequence, @Nullable T object) {
  }

  private final Scope scope;
  private final Class<T> type;
  private final WatchRegistry registry;
  private final WatchStream.Events events = new StreamEvents();
  /** Held while a watch opens, so two subscribers never open watches for the same names. */
  private final Object opening = new Object();
  private final Map<String, List<Subscription>> subscribers = new HashMap<>();
  private final Map<String, Latest<T>> latest = new HashMap<>();
  private final Map<String, WatchStream> nameStreams = new HashMap<>();
  private @Nullable WatchStream namespaceStream;
  private boolean namespaceForbidden;
  private boolean retired;
  private long sequence;

  SharedWatches(Scope scope, Class<T> type, WatchRegistry registry) {
    this.scope = scope;
    this.type = type;
    this.registry = registry;
  }

  /**
   * Subscribes to the changes of the object {@code api} names, opening a watch (within the
   * request timeout) when none covers it yet.
   *
   * @return the subscription, or null when these watches retired and a new set must be made
   * @throws KubernetesApiException when the watch cannot be opened
   */
  @Nullable AutoCloseable add(ObjectApi<T> api, Subscriber<T> subscriber) {
    String name = api.object().name();
    boolean shareNamespace = api.kind().shareNamespaceWatch();
    Subscription subscription = new Subscription(name, subscriber);
    Latest<T> current;
    synchronized (opening) {
      boolean covered;
      boolean wantNamespace;
      synchronized (this) {
        if (retired) {
          return null;
        }
        subscribers.computeIfAbsent(name, key -> new ArrayList<>()).add(subscription);
        covered = namespaceStream != null || nameStreams.containsKey(name);
        wantNamespace = shareNamespace && !namespaceForbidden && subscribers.size() > 1;
      }
      if (!covered) {
        try {
          open(api, name, wantNamespace);
        } catch (RuntimeException | Error e) {
          remove(subscription);
          throw e;
        }
      }
      synchronized (this) {
        current = latest.get(name);
      }
    }
    if (current != null) {
      subscription.deliver(current.sequence(), current.object());
    }
    return subscription;
  }

  /**
   * Opens a watch that covers {@code name}, on the whole namespace when wanted and allowed, and
   * starts it. Called holding {@link #opening} but not the state lock: opening is an HTTP call,
   * and deliveries and unsubscriptions go on meanwhile.
   */
  private void open(ObjectApi<T> api, String name, boolean wantNamespace) {
    if (wantNamespace) {
      try {
        install(null, WatchStream.open(api, null, events,
            scope.resource() + " in namespace " + scope.namespace()));
        return;
      } catch (KubernetesApiException e) {
        if (e.isForbidden()) {
          synchronized (this) {
            namespaceForbidden = true;
          }
          log.info("The elections on {} in namespace {} each watch their own object, on a "
              + "thread of their own, because this identity may watch only named objects there. "
              + "Grant the verb 'watch' on {} in namespace {} without resourceNames to share one "
              + "watch and one thread among them.", scope.resource(), scope.namespace(),
              scope.resource(), scope.namespace());
        } else {
          log.debug("Cannot watch {} in namespace {} ({}); watching {} alone this time",
              scope.resource(), scope.namespace(), e.getMessage(), name);
        }
      }
    }
    install(name, WatchStream.open(api, name, events, api.object().toString()));
  }

  /** Makes an opened stream current and starts it, unless nobody needs it any more. */
  private void install(@Nullable String name, WatchStream stream) {
    List<WatchStream> replaced = List.of();
    synchronized (this) {
      boolean needed = !retired && namespaceStream == null
          && (name == null ? !subscribers.isEmpty()
              : subscribers.containsKey(name) && !nameStreams.containsKey(name));
      if (!needed) {
        stream.close();
        return;
      }
      if (name == null) {
        namespaceStream = stream;
        replaced = List.copyOf(nameStreams.values());
        nameStreams.clear();
        latest.clear();
        log.debug("One watch on {} in namespace {} serves {} names", scope.resource(),
            scope.namespace(), subscribers.size());
      } else {
        nameStreams.put(name, stream);
      }
      stream.start();
    }
    replaced.forEach(WatchStream::close);
  }

  private void remove(Subscription subscription) {
    synchronized (this) {
      String name = subscription.name;
      List<Subscription> named = subscribers.get(name);
      if (named == null || !named.remove(subscription)) {
        return;
      }
      if (named.isEmpty()) {
        subscribers.remove(name);
        WatchStream stream = nameStreams.remove(name);
        if (stream != null) {
          stream.close();
          latest.remove(name);
        }
      }
      retireIfUnused();
    }
  }

  private void retireIfUnused() {
    if (subscribers.isEmpty()) {
      if (namespaceStream != null) {
        namespaceStream.close();
        namespaceStream = null;
      }
      latest.clear();
      retired = true;
      registry.retired(scope, this);
    }
  }

  /** Ends every watch and tells every subscriber; the registry that made these watches closed. */
  void close(LeaseLockException cause) {
    List<Subscription> affected = new ArrayList<>();
    synchronized (this) {
      subscribers.values().forEach(affected::addAll);
      subscribers.clear();
      nameStreams.values().forEach(WatchStream::close);
      nameStreams.clear();
      retireIfUnused();
    }
    affected.forEach(subscription -> subscription.broken(cause));
  }

  private synchronized boolean isCurrent(WatchStream stream, String name) {
    return stream == namespaceStream || nameStreams.get(name) == stream;
  }

  /** Routes the events of every stream to the subscribers of the object they concern. */
  private final class StreamEvents implements WatchStream.Events {

    @Override
    public void changed(WatchStream stream, String name, @Nullable JsonObject json) {
      T object;
      try {
        object = json == null ? null : JSON.getGson().fromJson(json, type);
      } catch (RuntimeException e) {
        brokenFor(name, new LeaseLockException("a change of " + scope.resource() + " "
            + scope.namespace() + "/" + name + " could not be read: " + e.getMessage(), e));
        return;
      }
      long number;
      List<Subscription> targets;
      synchronized (SharedWatches.this) {
        if (!isCurrent(stream, name)) {
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
      for (Subscription subscription : targets) {
        subscription.deliver(number, object);
      }
    }

    /** Drops the subscribers of one object whose change could not be read; they read again. */
    private void brokenFor(String name, LeaseLockException cause) {
      List<Subscription> affected;
      synchronized (SharedWatches.this) {
        affected = List.copyOf(subscribers.getOrDefault(name, List.of()));
      }
      for (Subscription subscription : affected) {
        remove(subscription);
        subscription.broken(cause);
      }
    }

    @Override
    public void broken(WatchStream stream, LeaseLockException cause) {
      List<Subscription> affected = new ArrayList<>();
      synchronized (SharedWatches.this) {
        if (stream == namespaceStream) {
          namespaceStream = null;
          subscribers.values().forEach(affected::addAll);
          subscribers.clear();
          latest.clear();
        } else if (stream.name() != null && nameStreams.get(stream.name()) == stream) {
          nameStreams.remove(stream.name());
          affected.addAll(subscribers.getOrDefault(stream.name(), List.of()));
          subscribers.remove(stream.name());
          latest.remove(stream.name());
        } else {
          return;
        }
        retireIfUnused();
      }
      for (Subscription subscription : affected) {
        subscription.broken(cause);
      }
    }
  }

  /**
   * One subscriber's view: changes in order, each delivered once, none older than one already
   * delivered (a joining subscriber's current state may race the next change).
   */
  private final class Subscription implements AutoCloseable {

    private final String name;
    private final Subscriber<T> subscriber;
    private volatile boolean closed;
    private long delivered;

    Subscription(String name, Subscriber<T> subscriber) {
      this.name = name;
      this.subscriber = subscriber;
    }

    synchronized void deliver(long number, @Nullable T object) {
      if (closed || number <= delivered) {
        return;
      }
      delivered = number;
      try {
        subscriber.changed(object);
      } catch (RuntimeException e) {
        remove(this);
        broken(e instanceof LeaseLockException failure ? failure
            : new LeaseLockException("a change of " + scope.resource() + " " + scope.namespace()
                + "/" + name + " could not be read: " + e.getMessage(), e));
      }
    }

    synchronized void broken(LeaseLockException cause) {
      if (!closed) {
        closed = true;
        try {
          subscriber.broken(cause);
        } catch (RuntimeException e) {
          log.warn("A watcher of {} {}/{} failed when its watch broke", scope.resource(),
              scope.namespace(), name, e);
        }
      }
    }

    @Override
    public void close() {
      closed = true;
      remove(this);
    }
  }
}
