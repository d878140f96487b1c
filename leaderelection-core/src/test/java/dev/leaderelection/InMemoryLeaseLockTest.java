package dev.leaderelection;

class InMemoryLeaseLockTest extends LeaseLockContractTest {

  @Override
  protected LeaseLock newLock() {
    return new InMemoryLeaseLock("contract");
  }
}
