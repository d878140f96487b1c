package dev.leaderelection;

class InMemoryLeaseLockTest extends LeaseLockContractTest {

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
