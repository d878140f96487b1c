package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseLock;

/** Watches an election for metrics: wraps its lock before the elector is built, then sees it. */
interface ElectionObserver {

  /** Returns the lock to use, possibly one that measures the calls to {@code lock}. */
  LeaseLock observe(String election, LeaseLock lock);

  /** A listener to add to the elector of {@code election}. */
  LeadershipListener listener(String election);

  /** Called once the elector of {@code election} exists. */
  void bind(String election, LeaderElector elector);
}
