package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * The leader-only work of each election: {@code @OnLeader} SmartLifecycle beans, started when
 * leadership is acquired and stopped when it is lost, and the {@code @OnLeader} calls in flight,
 * awaited when leadership is lost (for at most half the renew deadline). The elector releases
 * the lease only after this listener returns, so the next leader's work never overlaps ours. The
 * first contributor of every elector: its work stops before anyone else hears of the loss.
 */
final class LeaderScopedWork implements ElectionContributor, Ordered {

  private static final Logger log = LoggerFactory.getLogger(LeaderScopedWork.class);

  private final Map<String, List<SmartLifecycle>> lifecycles = new ConcurrentHashMap<>();
  private final Map<String, InFlightCalls> calls = new ConcurrentHashMap<>();

  void registerLifecycle(String election, SmartLifecycle lifecycle) {
    lifecycles.computeIfAbsent(election, name -> new CopyOnWriteArrayList<>()).add(lifecycle);
  }

  InFlightCalls calls(String election) {
    return calls.computeIfAbsent(election, name -> new InFlightCalls());
  }

  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    builder.listener(listener(election, timings.renewDeadline().dividedBy(2)));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /** The listener that starts and stops this election's work. */
  LeadershipListener listener(String election, Duration maxWait) {
    return new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        for (SmartLifecycle lifecycle : lifecycles.getOrDefault(election, List.of())) {
          try {
            lifecycle.start();
          } catch (RuntimeException e) {
            log.error("Could not start leader-scoped {} of election '{}'", lifecycle, election, e);
          }
        }
      }

      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (SmartLifecycle lifecycle : lifecycles.getOrDefault(election, List.of())) {
          stop(lifecycle, deadline);
        }
        if (!calls(election).awaitNone(Math.max(0, deadline - System.nanoTime()))) {
          log.warn("@OnLeader calls of election '{}' still running after {}; releasing anyway",
              election, maxWait);
        }
      }
    };
  }

  private void stop(SmartLifecycle lifecycle, long deadlineNanos) {
    if (!lifecycle.isRunning()) {
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      lifecycle.stop(stopped::countDown);
      if (!stopped.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        log.warn("Leader-scoped {} did not stop in time", lifecycle);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("Could not stop leader-scoped {}", lifecycle, e);
    }
  }

  /**
   * Counts the {@code @OnLeader} calls running for one election: lock-free on the call path, a
   * monitor only while someone waits for them to finish.
   */
  static final class InFlightCalls {

    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean awaited;

    void enter() {
      running.incrementAndGet();
    }

    void exit() {
      if (running.decrementAndGet() == 0 && awaited) {
        synchronized (this) {
          notifyAll();
        }
      }
    }

    synchronized boolean awaitNone(long timeoutNanos) {
      long deadline = System.nanoTime() + timeoutNanos;
      awaited = true;
      try {
        while (running.get() > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        awaited = false;
      }
    }
  }
}
