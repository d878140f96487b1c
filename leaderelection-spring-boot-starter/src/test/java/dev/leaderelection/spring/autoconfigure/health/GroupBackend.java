package dev.leaderelection.spring.autoconfigure.health;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.TestRecordingLock;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.InMemoryGroupMembership;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spi.MembershipListener;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.autoconfigure.ReferencedLock;
import java.util.Optional;

/**
 * A backend ({@code lock=group-backend}) for a group's health: every shard's lock fails its reads
 * when {@code lockFailure} is given (a candidate reads before it writes, so it never acquires),
 * and the membership's watch reports that it is down, and never delivers a view, when
 * {@code membershipFailure} is given.
 */
final class GroupBackend implements LeaseLockFactory {

  static final String NAME = "group-backend";

  private final LeaseLockException lockFailure;
  private final LeaseLockException membershipFailure;

  GroupBackend(LeaseLockException lockFailure, LeaseLockException membershipFailure) {
    this.lockFailure = lockFailure;
    this.membershipFailure = membershipFailure;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isConfigured() {
    return false;
  }

  @Override
  public LeaseLock create(LockRequest request) {
    TestRecordingLock lock = new TestRecordingLock();
    lock.failGets(lockFailure);
    return new ReferencedLock(lock, new LockReference("RecordingLock", null, request.leaseName()));
  }

  @Override
  public Optional<GroupMembership> groupMembership(LockRequest request) {
    if (membershipFailure == null) {
      return Optional.of(new InMemoryGroupMembership(request.leaseName()));
    }
    return Optional.of(new GroupMembership() {
      @Override
      public AutoCloseable join(String identity) {
        return () -> { };
      }

      @Override
      public AutoCloseable watch(MembershipListener listener) {
        listener.broken(membershipFailure);
        return () -> { };
      }

      @Override
      public String describe() {
        return "members that cannot be watched";
      }
    });
  }
}
