package dev.leaderelection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when told to, with a wall clock that moves with it. For tests. */
public final class FakeTicker implements Ticker {

  static final Instant EPOCH = Instant.parse("2026-11-22T10:00:00Z");

  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  public void advanceTo(long targetNanos) {
    nanos.accumulateAndGet(targetNanos, Math::max);
  }

  public Duration elapsed() {
    return Duration.ofNanos(nanos.get());
  }

  /** A wall clock reading {@link #EPOCH} plus this ticker's time. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return EPOCH.plusNanos(nanos.get());
      }
    };
  }
}
