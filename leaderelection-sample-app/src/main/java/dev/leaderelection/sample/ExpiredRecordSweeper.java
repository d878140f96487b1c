package dev.leaderelection.sample;

import dev.leaderelection.spring.OnLeader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A leader-scoped loop: the election starts it when this instance becomes the leader and stops
 * it, before the lease is released, when leadership ends.
 */
@Component
@OnLeader
public class ExpiredRecordSweeper implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ExpiredRecordSweeper.class);

  private final SampleProperties properties;
  private final AtomicLong sweeps = new AtomicLong();
  private ScheduledExecutorService loop;

  ExpiredRecordSweeper(SampleProperties properties) {
    this.properties = properties;
  }

  @Override
  public synchronized void start() {
    if (loop == null) {
      loop = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "sweeper"));
      long period = properties.sweepInterval().toMillis();
      loop.scheduleWithFixedDelay(sweeps::incrementAndGet, 0, period, TimeUnit.MILLISECONDS);
      log.info("Sweeper started");
    }
  }

  @Override
  public synchronized void stop() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
      log.info("Sweeper stopped after {} sweeps", sweeps.get());
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return loop != null;
  }

  long sweeps() {
    return sweeps.get();
  }
}
