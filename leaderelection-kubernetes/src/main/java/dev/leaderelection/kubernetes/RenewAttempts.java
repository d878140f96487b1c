package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLockException;
import java.util.function.Consumer;

/**
 * The attempts to keep one object of this process current (a member Lease, a LeaseCandidate):
 * each write reads the object when no copy is known, then creates or replaces it. When a write
 * fails, the copy is forgotten. A conflict (409) or a not-found (404) means the object changed or
 * went meanwhile, so the next attempt runs at once and reads it again; when that attempt meets
 * one too, it is a failure like any other. So a 404 or 409 that persists (a namespace that does
 * not exist, another process writing the same object) never makes a loop of requests without a
 * pause: the caller's back-off applies from the second one.
 *
 * <p>Not thread-safe: used by the one thread that keeps its object current. Internal to
 * {@code leaderelection-kubernetes}, not API: public only so that its {@code members} and
 * {@code coordinated} packages can share it; it may change in any release.
 */
public final class RenewAttempts {

  private boolean retryingAtOnce;

  /**
   * Runs {@code write}. When it throws, runs {@code forget}, then for a first conflict or
   * not-found in a row runs {@code retryAtOnce} (which schedules the next attempt now), and
   * otherwise hands the failure to {@code failed} (which schedules it after a back-off).
   */
  public void run(Runnable write, Runnable forget, Runnable retryAtOnce,
      Consumer<LeaseLockException> failed) {
    try {
      write.run();
      retryingAtOnce = false;
    } catch (KubernetesApiException e) {
      forget.run();
      boolean raced = e.statusCode() == 409 || e.statusCode() == 404;
      if (raced && !retryingAtOnce) {
        retryingAtOnce = true;
        retryAtOnce.run();
      } else {
        retryingAtOnce = false;
        failed.accept(e);
      }
    } catch (LeaseLockException e) {
      forget.run();
      retryingAtOnce = false;
      failed.accept(e);
    }
  }
}
