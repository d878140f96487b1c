package dev.leaderelection.group;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.MembershipListener;

/** A membership whose watch never delivers, as a backend that cannot be reached. */
final class SilentMembership implements GroupMembership {

  @Override
  public AutoCloseable join(String identity) {
    return () -> { };
  }

  @Override
  public AutoCloseable watch(MembershipListener listener) {
    return () -> { };
  }

  @Override
  public String describe() {
    return "silent members";
  }
}
