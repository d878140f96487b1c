package dev.leaderelection;

import dev.leaderelection.spi.LeaseLock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaseLock} call failed for a reason other than a lost race: the store was unreachable,
 * refused the request, or answered with something that is not a valid record.
 *
 * <p>Messages never contain credentials.
 *
 * @since 0.1.0
 */
public class LeaseLockException extends RuntimeException {

  /** Creates an exception with a message that explains the failure and how to fix it. */
  public LeaseLockException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public LeaseLockException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Facts about the failure, by short names, for health responses and logs: what the store
   * answered and why, never credentials. Empty unless the lock knows more than the message.
   *
   * @return an unmodifiable map, in a stable order
   * @since 0.2.0
   */
  public Map<String, Object> details() {
    return Map.of();
  }
}
