package dev.leaderelection.contract;

import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;

/** The in-memory lock keeps the contract every lock keeps. */
class InMemoryLeaseLockContractTest extends LeaseLockContract {

  @Override
  protected LeaseLock newLock() {
    return new InMemoryLeaseLock("contract");
  }

  @Override
  protected LeaseLock newLockFor(LeaseLock lock) {
    return lock;
  }

  @Override
  protected void deleteRecord(LeaseLock lock) {
    ((InMemoryLeaseLock) lock).delete();
  }
}
