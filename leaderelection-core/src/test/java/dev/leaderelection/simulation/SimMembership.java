package dev.leaderelection.simulation;

import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.MembershipListener;
import java.util.Set;

/**
 * One simulated process's view of a group's membership: announcements land in a shared
 * in-memory membership at once; each change reaches the process's watch after a fixed lag (so in
 * order), on the process's executor, and never once the process crashed.
 */
final class SimMembership implements GroupMembership {

  static final long LAG_NANOS = 20_000_000L;

  private final World world;
  private final SimProcess process;
  private final InMemoryGroupMembership shared;

  SimMembership(World world, SimProcess process, InMemoryGroupMembership shared) {
    this.world = world;
    this.process = process;
    this.shared = shared;
  }

  @Override
  public AutoCloseable join(String identity) {
    return shared.join(identity);
  }

  @Override
  public AutoCloseable watch(MembershipListener listener) {
    return shared.watch((Set<String> members) -> world.after(LAG_NANOS,
        () -> process.executor().execute(() -> listener.membersChanged(members))));
  }

  @Override
  public String describe() {
    return "simulated " + shared.describe();
  }
}
