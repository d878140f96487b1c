package dev.leaderelection.kubernetes.members;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.Ticker;
import dev.leaderelection.kubernetes.ApiCalls;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.watch.WatchStream;
import dev.leaderelection.spi.MembershipListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on the members of a group, as an informer keeps it: a list of the group's member
 * Leases (by label), then a watch from the list's resourceVersion, resumed when the server ends
 * it and listed again after any failure ({@link WatchStream}). What it sees goes to
 * {@link LiveMembers}, and the listener receives the live set whenever it changes: a Lease
 * created, renewed after it had expired, deleted, or expired (a timer at the next expiry). Every
 * change, expiry and call of the listener runs on one daemon thread of this watch, so the
 * listener's calls come one at a time, in order. When the watch breaks the listener hears
 * {@link MembershipListener#broken}, and the whole set again once it is back. A Lease left by a
 * member that died is deleted once it is {@linkplain LiveMembers#abandoned() abandoned}, on a
 * thread of its own. Thread-safe.
 */
final class MemberWatch implements AutoCloseable, WatchStream.Events {

  private static final Logger log = LoggerFactory.getLogger(MemberWatch.class);

  private final MemberLeaseApi api;
  private final String group;
  private final Duration defaultDuration;
  private final MembershipListener listener;
  private final LiveMembers members;
  private final String description;
  private final ScheduledThreadPoolExecutor thread;
  /** Deletes abandoned Leases: one thread, ended when idle for a minute. */
  private final ThreadPoolExecutor collector;
  private volatile boolean closed;
  /** What the last list found, from the opener to {@link #connected}; the watch's thread only. */
  private @Nullable List<MemberLease> listed;
  private @Nullable WatchStream stream;
  private @Nullable ScheduledFuture<?> expiry;

  MemberWatch(MemberLeaseApi api, String group, Duration defaultDuration,
      MembershipListener listener, Ticker ticker) {
    this.api = api;
    this.group = group;
    this.defaultDuration = defaultDuration;
    this.listener = listener;
    this.members = new LiveMembers(ticker);
    this.description = "the members of group " + group + " in namespace " + api.namespace()
        + " (leases " + api.labelSelector() + ")";
    this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread named = new Thread(runnable, "leader-election-members " + group);
      named.setDaemon(true);
      return named;
    });
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    thread.setRemoveOnCancelPolicy(true);
    this.collector = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread named = new Thread(runnable, "leader-election-members-cleanup " + group);
          named.setDaemon(true);
          return named;
        });
    collector.allowCoreThreadTimeOut(true);
  }

  synchronized void start() {
    if (!closed) {
      stream = WatchStream.start(this::open, null, this, description);
    }
  }

  /** Ends the watch; the listener hears nothing more once this returns. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (stream != null) {
        stream.close();
      }
    }
    thread.shutdownNow();
    collector.shutdown();
    try {
      thread.awaitTermination(1, TimeUnit.SECONDS); // a listener call running ends first
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "watch on " + description;
  }

  /** Lists the Leases when the watch starts afresh, then watches from the list's version. */
  private ApiCalls.Stream open(@Nullable String name, @Nullable String resourceVersion) {
    String from = resourceVersion;
    if (from == null) {
      JsonObject list = api.list();
      List<MemberLease> found = new ArrayList<>();
      JsonElement items = list.get("items");
      if (items != null && items.isJsonArray()) {
        for (JsonElement item : items.getAsJsonArray()) {
          MemberLease lease = item.isJsonObject()
              ? MemberLease.of(item.getAsJsonObject(), group, defaultDuration) : null;
          if (lease != null) {
            found.add(lease);
          }
        }
      }
      listed = found;
      from = list.getAsJsonObject("metadata").get("resourceVersion").getAsString();
    }
    return api.openWatch(from);
  }

  @Override
  public void connected(WatchStream stream) {
    List<MemberLease> found = listed;
    listed = null;
    if (found != null) {
      onThread(() -> members.listed(found));
    }
  }

  @Override
  public void changed(WatchStream stream, String name, @Nullable JsonObject object) {
    MemberLease lease = object == null ? null : MemberLease.of(object, group, defaultDuration);
    onThread(() -> {
      if (lease == null) {
        members.deleted(name); // deleted, or no longer a member of this group
      } else {
        members.observed(lease);
      }
    });
  }

  @Override
  public void broken(WatchStream stream, LeaseLockException cause) {
    log.debug("The watch on {} broke: {}", description, cause.getMessage());
    onThread(() -> call(() -> listener.broken(cause)));
  }

  /** Runs {@code change} on this watch's thread, then delivers the live set if it changed. */
  private void onThread(Runnable change) {
    try {
      thread.execute(() -> {
        if (!closed) {
          change.run();
          deliver();
        }
      });
    } catch (RejectedExecutionException closedMeanwhile) {
      // nothing more to deliver
    }
  }

  /** Delivers the live set if it changed, and sets the timer for the next expiry. */
  private void deliver() {
    if (closed) {
      return;
    }
    Set<String> view = members.view();
    if (view != null) {
      call(() -> listener.membersChanged(view));
    }
    if (expiry != null) {
      expiry.cancel(false);
      expiry = null;
    }
    members.abandoned().forEach(this::collect);
    OptionalLong next = members.nanosUntilNextChange();
    if (next.isPresent() && !closed) {
      try {
        expiry = thread.schedule(this::deliver, next.getAsLong(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closedMeanwhile) {
        // nothing more to deliver
      }
    }
  }

  /** Deletes an abandoned Lease in the background, so that deliveries never wait for it. */
  private void collect(LiveMembers.Abandoned lease) {
    try {
      collector.execute(() -> {
        try {
          api.deleteAbandoned(lease.name(), lease.resourceVersion());
          log.info("Deleted Lease {}/{}, left by a member of group {} that stopped renewing it "
              + "long ago", api.namespace(), lease.name(), group);
        } catch (KubernetesApiException e) {
          if (e.statusCode() != 404 && e.statusCode() != 409) { // gone, or renewed meanwhile
            log.debug("Could not delete the abandoned Lease {}: {}", lease.name(),
                e.getMessage());
          }
        }
      });
    } catch (RejectedExecutionException closedMeanwhile) {
      // another watcher, or the next run, deletes it
    }
  }

  private void call(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("A listener of {} failed", description, e);
    }
  }
}
