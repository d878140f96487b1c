package dev.leaderelection;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@link LeaseTimings} that break a rule: names the field ({@code leaseDuration},
 * {@code renewDeadline} or {@code retryPeriod}), its value and the rule, so that callers that
 * bind timings from configuration can name their own property.
 *
 * @since 0.1.0
 */
public final class InvalidTimingsException extends IllegalArgumentException {

  private final String field;
  private final @Nullable Duration value;
  private final String rule;

  InvalidTimingsException(String field, @Nullable Duration value, String rule) {
    super("LeaseTimings." + field + " is " + (value == null ? "null" : Durations.format(value))
        + " but " + rule);
    this.field = field;
    this.value = value;
    this.rule = rule;
  }

  /** The field that breaks the rule. */
  public String field() {
    return field;
  }

  /** Its value, or null when it was missing. */
  public @Nullable Duration value() {
    return value;
  }

  /** The rule, such as {@code must be greater than renewDeadline (10s)}. */
  public String rule() {
    return rule;
  }
}
