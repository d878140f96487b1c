package dev.leaderelection.etcd;

import dev.leaderelection.etcd.testing.EtcdLauncher;
import io.etcd.jetcd.Client;

/**
 * The lock contract against a real etcd over plain text. The lock's blocking calls await its
 * non-blocking ones, so the contract holds for the calls the elector makes.
 */
class EtcdLockContractIT extends EtcdLockContract {

  @Override
  Client start(EtcdLauncher launcher) {
    server = launcher.start();
    return server.client();
  }

  @Override
  EtcdLeaseLockBuilder connected(String name) {
    return EtcdLeaseLock.builder(name).endpoints(server.endpoint());
  }
}
