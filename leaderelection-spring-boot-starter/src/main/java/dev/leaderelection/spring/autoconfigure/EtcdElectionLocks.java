package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.spi.LeaseLock;

/**
 * Makes the locks of elections with {@code lock=etcd}. An interface without jetcd types, so that
 * the starter's other classes load without {@code leaderelection-etcd} on the classpath.
 */
interface EtcdElectionLocks {

  /**
   * @return the etcd lock of the election, whose key is the key prefix and its lease name
   * @throws InvalidLeaderElectionPropertyException when {@code leader-election.etcd} is unusable
   */
  LeaseLock create(ElectionSettings settings);
}
