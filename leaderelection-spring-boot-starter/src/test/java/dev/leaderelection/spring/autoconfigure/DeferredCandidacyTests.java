package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.Candidacy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A candidacy announced once its API server answers, withdrawn whenever the elector closes. */
class DeferredCandidacyTests {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final RecordingCandidacy real = new RecordingCandidacy();

  @Test
  void answerShouldBeAnnouncedAndDescribed() {
    DeferredCandidacy deferred = new DeferredCandidacy(() -> real, "LeaseCandidate jobs/pod-a",
        new LeaseLockException("no answer"));
    assertThat(deferred.describe()).isEqualTo("LeaseCandidate jobs/pod-a (not announced yet)");
    assertThat(deferred.failure()).get().extracting(Throwable::getMessage)
        .isEqualTo("no answer");

    deferred.announce();

    await().atMost(WAIT).until(real.announced::get);
    assertThat(deferred.describe()).isEqualTo("the real one");
    assertThat(deferred.failure()).isEmpty();
    deferred.withdraw();
    assertThat(real.withdrawn).isTrue();
  }

  @Test
  void withdrawnWhileAskingShouldWithdrawWhatAskingMade() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    DeferredCandidacy deferred = new DeferredCandidacy(() -> {
      asking.countDown();
      awaitUninterruptibly(answer);
      return real;
    }, "LeaseCandidate jobs/pod-a", new LeaseLockException("no answer"));
    deferred.announce();
    asking.await();

    deferred.withdraw();
    answer.countDown();

    await().atMost(WAIT).until(real.withdrawn::get);
    assertThat(real.announced).as("never announced after the withdrawal").isFalse();
  }

  @Test
  void standingAsideWhileAskingShouldAnnounceOnlyWhenAnnouncedAgain() throws Exception {
    CountDownLatch asking = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger discovered = new AtomicInteger();
    DeferredCandidacy deferred = new DeferredCandidacy(() -> {
      asking.countDown();
      awaitUninterruptibly(answer);
      discovered.incrementAndGet();
      return real;
    }, "LeaseCandidate jobs/pod-a", new LeaseLockException("no answer"));
    deferred.announce();
    asking.await();

    deferred.standAside();
    answer.countDown();
    await().atMost(WAIT).until(() -> deferred.describe().equals("the real one"));
    assertThat(real.announced).as("paused: not announced").isFalse();

    deferred.announce();
    assertThat(real.announced).isTrue();
    deferred.standAside();
    assertThat(real.announced).isFalse();
    assertThat(discovered).hasValue(1);
  }

  @Test
  void withdrawnBeforeAnnouncingShouldNeverAsk() {
    AtomicInteger asked = new AtomicInteger();
    DeferredCandidacy deferred = new DeferredCandidacy(() -> {
      asked.incrementAndGet();
      return real;
    }, "LeaseCandidate jobs/pod-a", new LeaseLockException("no answer"));

    deferred.withdraw();
    deferred.announce();

    assertThat(asked).hasValue(0);
    assertThat(real.withdrawn).isFalse();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (latch.getCount() > 0) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A candidacy that records what it was asked to do. */
  private static final class RecordingCandidacy implements Candidacy {

    final AtomicBoolean announced = new AtomicBoolean();
    final AtomicBoolean withdrawn = new AtomicBoolean();

    @Override
    public void announce() {
      announced.set(true);
    }

    @Override
    public void withdraw() {
      withdrawn.set(true);
    }

    @Override
    public void standAside() {
      announced.set(false);
    }

    @Override
    public Optional<LeaseLockException> failure() {
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "the real one";
    }
  }
}
