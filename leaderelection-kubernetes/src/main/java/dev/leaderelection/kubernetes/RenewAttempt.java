package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLockException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One attempt to keep an object of this process current (a member Lease, a LeaseCandidate): its
 * write reads the object when no copy is known, then creates or replaces it. When the write
 * fails, the copy is forgotten; a conflict (409) or a not-found (404) means the object changed or
 * went meanwhile, which the caller may retry at once (reading it again), and any other failure is
 * a failure.
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: public only so that its
 * {@code members} and {@code coordinated} packages can share it; it may change in any release.
 */
public final class RenewAttempt {

  private RenewAttempt() {
  }

  /**
   * Runs {@code write}; when it throws, runs {@code forget}, then for a conflict or not-found asks
   * {@code retriedAtOnce} (which schedules a retry and says so, or declines) and otherwise, or when
   * declined, hands the failure to {@code failed}.
   */
  public static void run(Runnable write, Runnable forget, BooleanSupplier retriedAtOnce,
      Consumer<LeaseLockException> failed) {
    try {
      write.run();
    } catch (KubernetesApiException e) {
      forget.run();
      boolean raced = e.statusCode() == 409 || e.statusCode() == 404;
      if (!raced || !retriedAtOnce.getAsBoolean()) {
        failed.accept(e);
      }
    } catch (LeaseLockException e) {
      forget.run();
      failed.accept(e);
    }
  }
}
