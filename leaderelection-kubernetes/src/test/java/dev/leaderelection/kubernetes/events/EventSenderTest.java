package dev.leaderelection.kubernetes.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventSenderTest {

  @Test
  void fullQueueShouldDropAndCountInsteadOfBlocking() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger sent = new AtomicInteger();
    try (EventSender sender = new EventSender()) {
      sender.send(() -> awaitQuietly(release));
      for (int i = 0; i < EventSender.CAPACITY + 5; i++) {
        sender.send(sent::incrementAndGet);
      }

      assertThat(sender.dropped()).isEqualTo(5);
      release.countDown();
    }
    assertThat(sent.get()).as("what waited was sent on close").isEqualTo(EventSender.CAPACITY);
  }

  @Test
  void sendAfterCloseShouldBeDropped() {
    EventSender sender = new EventSender();
    sender.close();

    sender.send(() -> { });

    assertThat(sender.dropped()).isEqualTo(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
