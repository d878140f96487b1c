package dev.leaderelection.etcd;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Cluster;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.Watch;

/**
 * A jetcd client made by {@link EtcdLeaseLockBuilder#buildClient()}, which remembers where it
 * connects, so the locks and memberships sharing it name the endpoints in their messages as a
 * lock with a client of its own does. Thread-safe as its client.
 *
 * @param client the client made
 * @param endpoints where it connects, as messages name it
 */
record DescribedClient(Client client, String endpoints) implements Client {

  /** Where {@code client} connects: its endpoints when made here, else the application's. */
  static String endpointsOf(Client client) {
    return client instanceof DescribedClient described ? described.endpoints()
        : "etcd (the application's client)";
  }

  @Override
  public Auth getAuthClient() {
    return client.getAuthClient();
  }

  @Override
  public KV getKVClient() {
    return client.getKVClient();
  }

  @Override
  public Cluster getClusterClient() {
    return client.getClusterClient();
  }

  @Override
  public Maintenance getMaintenanceClient() {
    return client.getMaintenanceClient();
  }

  @Override
  public Lease getLeaseClient() {
    return client.getLeaseClient();
  }

  @Override
  public Watch getWatchClient() {
    return client.getWatchClient();
  }

  @Override
  public Lock getLockClient() {
    return client.getLockClient();
  }

  @Override
  public Election getElectionClient() {
    return client.getElectionClient();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "jetcd client of " + endpoints;
  }
}
