package dev.leaderelection.kubernetes;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
import io.kubernetes.client.openapi.ApiClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches of all locks that use one {@link ApiClient} on one kind of object in one namespace,
 * so the number of watch threads does not grow with the number of elections. Locks on one name
 * share one watch on it. Once locks on two or more names subscribe, and sharing is allowed, one
 * watch on the whole namespace serves them all; when the client may not watch the whole namespace
 * (RBAC grants {@code watch} only with {@code resourceNames}), each name keeps a watch of its own
 * and this is logged once.
 *
 * <p>Each subscriber receives the changes of its object in the order the server applied them,
 * beginning with the object's current state when its watch already runs. When a watch breaks, its
 * subscribers are told and dropped; they subscribe again. A watch ends when its last subscriber
 * leaves. Thread-safe.
 */
final class SharedWatches {

  private static final Logger log = LoggerFactory.getLogger(SharedWatches.class);
  private static final ConcurrentMap<Scope, SharedWatches> ALL = new ConcurrentHashMap<>();

  /** Receives the changes of one object; calls arrive one at a time. */
  interface Subscriber {

    /** @param json the object's new state, or null when it was deleted */
    void changed(@Nullable String json);

    /** The watch broke; nothing follows. */
    void broken(LeaseLockException cause);
  }

  /** What one shared set of watches covers. */
  private record Scope(ApiClient client, String resource, String namespace) {
  }

  /** The latest state seen of an object, numbered in the order the watches delivered it. */
  private record Latest(long sequence, @Nullable String json) {
  }

  private final Scope scope;
  private final WatchStream.Events events = new StreamEvents();
  /** Held while a watch opens, so two subscribers never open watches for the same names. */
  private final Object opening = new Object();
  private final Map<String, List<Subscription>> subscribers = new HashMap<>();
  private final Map<String, Latest> latest = new HashMap<>();
  private final Map<String, WatchStream> nameStreams = new HashMap<>();
  private @Nullable WatchStream namespaceStream;
  private boolean namespaceForbidden;
  private boolean retired;
  private long sequence;

  private SharedWatches(Scope scope) {
    this.scope = scope;
  }

  /**
   * Subscribes to the changes of the object {@code api} names, opening a watch (within the
   * request timeout) when none covers it yet.
   *
   * @param shareNamespace whether a watch on the whole namespace may serve several names; false
   *     for kinds whose objects may be large, such as ConfigMaps
   * @return closes the subscription
   * @throws KubernetesApiException when the watch cannot be opened
   */
  static AutoCloseable subscribe(ObjectApi<?> api, boolean shareNamespace,
      Subscriber subscriber) {
    ObjectReference object = api.object();
    Scope scope = new Scope(api.client(), object.resource(), object.namespace());
    while (true) {
      SharedWatches watches = ALL.computeIfAbsent(scope, SharedWatches::new);
      AutoCloseable subscription = watches.add(api, shareNamespace, subscriber);
      if (subscription != null) {
        return subscription;
      }
    }
  }

  /** @return the subscription, or null when these watches retired and a new set must be made */
  private @Nullable Subscription add(ObjectApi<?> api, boolean shareNamespace,
      Subscriber subscriber) {
    String name = api.object().name();
    Subscription subscription = new Subscription(name, subscriber);
    Latest current;
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
      subscription.deliver(current.sequence(), current.json());
    }
    return subscription;
  }

  /**
   * Opens a watch that covers {@code name}, on the whole namespace when wanted and allowed, and
   * starts it. Called holding {@link #opening} but not the state lock: opening is an HTTP call,
   * and deliveries and unsubscriptions go on meanwhile.
   */
  private void open(ObjectApi<?> api, String name, boolean wantNamespace) {
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
      ALL.remove(scope, this);
    }
  }

  private synchronized boolean isCurrent(WatchStream stream, String name) {
    return stream == namespaceStream || nameStreams.get(name) == stream;
  }

  /** Routes the events of every stream to the subscribers of the object they concern. */
  private final class StreamEvents implements WatchStream.Events {

    @Override
    public void changed(WatchStream stream, String name, @Nullable JsonObject object) {
      String json = object == null ? null : object.toString();
      long number;
      List<Subscription> targets;
      synchronized (SharedWatches.this) {
        if (!isCurrent(stream, name)) {
          return;
        }
        number = ++sequence;
        if (json != null) {
          latest.put(name, new Latest(number, json));
        } else {
          latest.remove(name);
        }
        targets = List.copyOf(subscribers.getOrDefault(name, List.of()));
      }
      for (Subscription subscription : targets) {
        subscription.deliver(number, json);
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
    private final Subscriber subscriber;
    private volatile boolean closed;
    private long delivered;

    Subscription(String name, Subscriber subscriber) {
      this.name = name;
      this.subscriber = subscriber;
    }

    synchronized void deliver(long number, @Nullable String json) {
      if (closed || number <= delivered) {
        return;
      }
      delivered = number;
      try {
        subscriber.changed(json);
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
