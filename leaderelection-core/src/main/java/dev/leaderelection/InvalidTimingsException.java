package dev.leaderelection;

import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.election.ElectionConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * {@link LeaseTimings} that break a rule: names the field ({@code leaseDuration},
 * {@code renewDeadline} or {@code retryPeriod}), its value and the {@link Rule}, so that callers
 * that bind timings from configuration can name their own properties without parsing text.
 * Immutable.
 *
 * @since 0.1.0
 */
public final class InvalidTimingsException extends IllegalArgumentException {

  private final String field;
  private final @Nullable Duration value;
  private final Rule rule;
  private final @Nullable Duration bound;

  InvalidTimingsException(String field, @Nullable Duration value, Rule rule,
      @Nullable Duration bound) {
    super("LeaseTimings." + field + " is " + (value == null ? "null" : Durations.format(value))
        + " but " + rule.describe(bound, UnaryOperator.identity()));
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.bound = bound;
  }

  /**
   * A rule of {@link LeaseTimings}, which {@link #describe describes} itself with the caller's
   * names for the fields.
   *
   * @since 0.2.0
   */
  public enum Rule {
    /** The field is null. */
    MISSING(null),
    /** The field is zero or negative ({@code retryPeriod}). */
    NOT_POSITIVE(null),
    /** The field has a fraction of a second ({@code leaseDuration}). */
    NOT_WHOLE_SECONDS(null),
    /** The field is longer than the bound ({@code leaseDuration}). */
    TOO_LONG(null),
    /** The field is not greater than the bound, {@code renewDeadline} ({@code leaseDuration}). */
    NOT_ABOVE_RENEW_DEADLINE("renewDeadline"),
    /**
     * The field is not greater than the bound, 1.2 × {@code retryPeriod}
     * ({@code renewDeadline}).
     */
    NOT_ABOVE_JITTERED_RETRY_PERIOD("retryPeriod");

    private final @Nullable String comparedField;

    Rule(@Nullable String comparedField) {
      this.comparedField = comparedField;
    }

    /** The other field the rule compares with, or null when it compares with a constant. */
    public @Nullable String comparedField() {
      return comparedField;
    }

    /**
     * The rule in words, such as {@code must be greater than renewDeadline (10s)}.
     *
     * @param bound the exception's {@link #bound()}
     * @param fieldName the caller's name for a field (for example its property name)
     */
    public String describe(@Nullable Duration bound, UnaryOperator<String> fieldName) {
      String limit = bound == null ? "" : Durations.format(bound);
      return switch (this) {
        case MISSING -> "must be set";
        case NOT_POSITIVE -> "must be greater than zero";
        case NOT_WHOLE_SECONDS -> "must be a whole number of seconds (a Lease stores "
            + "leaseDurationSeconds as an integer)";
        case TOO_LONG -> "must be at most " + (bound == null ? "" : bound.getSeconds())
            + " seconds";
        case NOT_ABOVE_RENEW_DEADLINE -> "must be greater than "
            + fieldName.apply("renewDeadline") + " (" + limit + ")";
        case NOT_ABOVE_JITTERED_RETRY_PERIOD -> "must be greater than "
            + ElectionConfig.JITTER_FACTOR + " × " + fieldName.apply("retryPeriod") + " ("
            + limit + ")";
      };
    }
  }

  /** The field that breaks the rule. */
  public String field() {
    return field;
  }

  /** Its value, or null when it was missing. */
  public @Nullable Duration value() {
    return value;
  }

  /**
   * The rule the field breaks.
   *
   * @since 0.2.0
   */
  public Rule rule() {
    return rule;
  }

  /**
   * The value the field was compared with (the other field's value, 1.2 × {@code retryPeriod},
   * or the longest lease), or null for rules that compare with nothing.
   *
   * @since 0.2.0
   */
  public @Nullable Duration bound() {
    return bound;
  }
}
