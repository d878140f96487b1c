package dev.leaderelection.spring.autoconfigure.metrics;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.core.Ordered;

/**
 * Election metrics, tagged by election: {@code leader.election.leader} (1 while leading),
 * {@code leader.election.transitions} (terms acquired and lost), {@code leader.election.renew}
 * (latency of writing this instance's claim) and {@code leader.election.api.failures} (failed
 * lock calls by reason; lost races are not failures). The last contributor of every elector.
 */
final class MicrometerElectionObserver implements ElectionContributor, Ordered {

  private final MeterRegistry registry;

  MicrometerElectionObserver(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public LeaseLock lock(String election, LeaseLock lock) {
    return new MeteredLock(election, lock);
  }

  @Override
  public void customize(String election, LeaseTimings timings, LeaderElector.Builder builder) {
    Counter acquired = transitions(election, "acquired");
    Counter lost = transitions(election, "lost");
    builder.listener(new LeadershipListener() {
      @Override
      public void onStartedLeading(LeaderContext context) {
        acquired.increment();
      }

      @Override
      public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
        lost.increment();
      }
    });
  }

  @Override
  public void built(String election, LeaderElector elector) {
    Gauge.builder("leader.election.leader", elector, leading -> leading.isLeader() ? 1 : 0)
        .description("1 while this instance leads the election, else 0")
        .tag("election", election)
        .register(registry);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  private Counter transitions(String election, String transition) {
    return Counter.builder("leader.election.transitions")
        .description("Terms of leadership this instance acquired or lost")
        .tag("election", election)
        .tag("transition", transition)
        .register(registry);
  }

  /** Times this instance's claims and counts failed calls. */
  private final class MeteredLock extends ForwardingLeaseLock {

    private final String election;
    private final Timer renew;

    MeteredLock(String election, LeaseLock delegate) {
      super(delegate);
      this.election = election;
      this.renew = Timer.builder("leader.election.renew")
          .description("Latency of writing this instance's claim on the lease")
          .tag("election", election)
          .register(registry);
    }

    @Override
    public Optional<LeaderRecord> get() {
      return counted(delegate()::get);
    }

    @Override
    public LeaderRecord create(LeaderRecord record) {
      return counted(() -> renew.record(() -> delegate().create(record)));
    }

    @Override
    public LeaderRecord update(LeaderRecord record) {
      return counted(() -> record.isHeld() ? renew.record(() -> delegate().update(record))
          : delegate().update(record));
    }

    /** The delegate's own future, so that cancelling it cancels the call. */
    @Override
    public CompletableFuture<Optional<LeaderRecord>> getAsync() {
      return counted(delegate().getAsync());
    }

    @Override
    public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
      return timed(counted(delegate().createAsync(record)));
    }

    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      CompletableFuture<LeaderRecord> updated = counted(delegate().updateAsync(record));
      return record.isHeld() ? timed(updated) : updated;
    }

    @Override
    public Optional<AutoCloseable> watch(RecordWatcher watcher) {
      return counted(() -> delegate().watch(watcher));
    }

    private <T> T counted(Supplier<T> call) {
      try {
        return call.get();
      } catch (LeaseLockException e) {
        failed(e);
        throw e;
      }
    }

    private <T> CompletableFuture<T> counted(CompletableFuture<T> call) {
      call.whenComplete((ignored, failure) -> {
        if ((failure instanceof CompletionException ? failure.getCause() : failure)
            instanceof LeaseLockException e) {
          failed(e);
        }
      });
      return call;
    }

    private <T> CompletableFuture<T> timed(CompletableFuture<T> call) {
      Timer.Sample sample = Timer.start(registry);
      call.thenRun(() -> sample.stop(renew));
      return call;
    }

    /** Counts a failed call by its reason; a lost race is not a failure. */
    private void failed(LeaseLockException e) {
      if (e instanceof LeaseConflictException) {
        return;
      }
      String reason = e instanceof KubernetesApiException api ? api.reason()
          : e.getClass().getSimpleName();
      Counter.builder("leader.election.api.failures")
          .description("Lock calls that failed, by reason")
          .tag("election", election)
          .tag("reason", reason)
          .register(registry)
          .increment();
    }
  }
}
