package dev.leaderelection.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * A {@link GroupMembership} held in this JVM's memory: for tests, and for groups whose members
 * all run in one process. Members that share one instance see each other; members in other
 * processes do not.
 *
 * <p>An announcement never expires by itself: {@link #expire(String)} ends one as a backend's
 * expiry would end the announcement of a process that died. Thread-safe. Watchers receive the
 * live set at once when they start watching, then after every change, in order, on the thread
 * that made it.
 *
 * @since 0.2.0
 */
public final class InMemoryGroupMembership implements GroupMembership {

  private final String name;
  /** Each live member's current announcement: a later close of an expired one does nothing. */
  private final Map<String, AutoCloseable> announcements = new TreeMap<>();
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

  /** Creates a group with no members; {@code name} appears in {@link #describe()}. */
  public InMemoryGroupMembership(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Adds {@code identity} until the handle is closed (or {@link #expire}); at once. */
  @Override
  public AutoCloseable join(String identity) {
    Objects.requireNonNull(identity, "identity");
    Announcement announcement = new Announcement(identity);
    change(() -> announcements.put(identity, announcement) == null);
    return announcement;
  }

  @Override
  public synchronized AutoCloseable watch(MembershipListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    listener.membersChanged(Set.copyOf(announcements.keySet()));
    return () -> listeners.remove(listener);
  }

  /**
   * Ends the announcement of {@code identity} without its member closing it, as a backend's
   * expiry ends the announcement of a process that died; for tests. Its handle's later close
   * does nothing.
   */
  public void expire(String identity) {
    change(() -> announcements.remove(identity) != null);
  }

  /** The live members now. */
  public synchronized Set<String> members() {
    return Set.copyOf(announcements.keySet());
  }

  @Override
  public String describe() {
    return "in-memory members of group " + name;
  }

  /** One join: closing it removes the member unless a later join or an expiry replaced it. */
  private final class Announcement implements AutoCloseable {

    private final String identity;

    Announcement(String identity) {
      this.identity = identity;
    }

    @Override
    public void close() {
      change(() -> announcements.remove(identity, this));
    }
  }

  /** Applies a change and, when it changed the set, delivers the new set, in order. */
  private synchronized void change(BooleanSupplier change) {
    if (change.getAsBoolean()) {
      Set<String> now = Set.copyOf(announcements.keySet());
      listeners.forEach(listener -> listener.membersChanged(now));
    }
  }
}
