package dev.leaderelection.spring.autoconfigure.integration;

import dev.leaderelection.LeaderElector;
import org.springframework.integration.leader.Context;

/**
 * Spring Integration's view of one election: the role is the election's name, and
 * {@link #yield()} gives leadership up for one lease duration, as the Actuator endpoint does.
 */
final class ElectionRoleContext implements Context {

  private final String election;
  private final LeaderElector elector;

  ElectionRoleContext(String election, LeaderElector elector) {
    this.election = election;
    this.elector = elector;
  }

  @Override
  public boolean isLeader() {
    return elector.isLeader();
  }

  @Override
  public void yield() {
    elector.yield(elector.timings().leaseDuration());
  }

  @Override
  public String getRole() {
    return election;
  }

  @Override
  public String toString() {
    return "ElectionRoleContext[role=" + election + ", leader=" + isLeader() + "]";
  }
}
