package dev.leaderelection;

/**
 * A write lost an optimistic-concurrency race: the record changed since it was read, or it was
 * created concurrently. An ordinary event in an election, not an error.
 */
public class LeaseConflictException extends LeaseLockException {

  /** Creates an exception describing the race that was lost. */
  public LeaseConflictException(String message) {
    super(message);
  }
}
