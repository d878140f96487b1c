package dev.leaderelection.kubernetes.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventBudgetTest {

  private final AtomicLong now = new AtomicLong();
  private final EventBudget budget = new EventBudget(now::get);

  @Test
  void burstShouldBeSpentThenRefilledOnePerInterval() {
    for (int i = 0; i < EventBudget.BURST; i++) {
      assertThat(budget.tryTake()).as("event %d of the burst", i).isTrue();
    }
    assertThat(budget.tryTake()).isFalse();

    now.addAndGet(EventBudget.REFILL.toNanos() - 1);
    assertThat(budget.tryTake()).isFalse();
    now.addAndGet(1);
    assertThat(budget.tryTake()).isTrue();
    assertThat(budget.tryTake()).isFalse();
  }

  @Test
  void longQuietShouldRefillNoMoreThanTheBurst() {
    now.addAndGet(EventBudget.REFILL.toNanos() * 1000);
    int taken = 0;
    while (budget.tryTake()) {
      taken++;
    }
    assertThat(taken).isEqualTo(EventBudget.BURST);
  }
}
