package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;

/**
 * A lock of the tests' backends that names an object of its own, as every real backend's lock
 * does (the starter refuses two elections or shards on one lock), such as a Lease in a
 * namespace for a backend whose records are kept in memory.
 */
public final class ReferencedLock extends ForwardingLeaseLock {

  private final LockReference reference;

  public ReferencedLock(LeaseLock lock, LockReference reference) {
    super(lock);
    this.reference = reference;
  }

  @Override
  public LockReference reference() {
    return reference;
  }
}
