package dev.leaderelection.group;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;

/**
 * A membership whose watch never delivers a view, as a backend that is slow to answer, or, when
 * {@code broken}, reports at once that it cannot be reached.
 */
final class SilentMembership implements GroupMembership {

  private final boolean broken;

  SilentMembership(boolean broken) {
    this.broken = broken;
  }

  @Override
  public AutoCloseable join(String identity) {
    return () -> { };
  }

  @Override
  public AutoCloseable watch(MembershipListener listener) {
    if (broken) {
      listener.broken(new LeaseLockException("members unreachable"));
    }
    return () -> { };
  }

  @Override
  public String describe() {
    return "silent members";
  }
}
