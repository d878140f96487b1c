package dev.leaderelection;

/**
 * A write lost an optimistic-concurrency race: the record changed since it was read, or it was
 * created concurrently. An ordinary event in an election, not an error.
 *
 * @since 0.1.0
 */
public class LeaseConflictException extends LeaseLockException {

  /** Creates an exception describing the race that was lost. */
  public LeaseConflictException(String message) {
    super(message);
  }
}
