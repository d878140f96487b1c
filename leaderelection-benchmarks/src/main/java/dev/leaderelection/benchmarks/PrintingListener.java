package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.StepDownReason;

/** Prints {@code LEADING} and {@code FOLLOWING}, which the harness reads from a candidate. */
final class PrintingListener implements LeadershipListener {

  @Override
  public void onStartedLeading(LeaderContext context) {
    System.out.println("LEADING");
  }

  @Override
  public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
    System.out.println("FOLLOWING");
  }
}
