package dev.leaderelection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Passes tasks to a delegate until {@link #hold()}; then keeps them, as a hung call or a blocked
 * thread would, until {@link #release()}.
 */
public final class HoldingExecutor implements Executor {

  private final Executor delegate;
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;

  public HoldingExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  public synchronized void hold() {
    holding = true;
  }

  public void release() {
    List<Runnable> toRun;
    synchronized (this) {
      holding = false;
      toRun = List.copyOf(held);
      held.clear();
    }
    toRun.forEach(delegate::execute);
  }

  synchronized int heldTasks() {
    return held.size();
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (holding) {
        held.add(task);
        return;
      }
    }
    delegate.execute(task);
  }
}
