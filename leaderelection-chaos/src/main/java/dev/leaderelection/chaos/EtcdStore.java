package dev.leaderelection.chaos;

import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.spi.LeaseLock;
import java.net.URI;
import java.time.Duration;

/** The election on a key of a real etcd of the harness's own, which it stops and starts. */
final class EtcdStore implements ElectionStore {

  private final EtcdServer server;
  private final EtcdLeaseLock adminLock;
  /** Other elections' locks handed out ({@link #adminLock(String)}), closed with the store. */
  private final java.util.List<EtcdLeaseLock> otherLocks = new java.util.ArrayList<>();

  private EtcdStore(EtcdServer server) {
    this.server = server;
    this.adminLock = EtcdLeaseLock.builder(ChaosRunner.ELECTION).endpoints(server.endpoint())
        .requestTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts an etcd server from the launcher ({@code ETCD_LAUNCHER}, or built from Go). */
  static EtcdStore start() {
    return new EtcdStore(EtcdLauncher.find().orElseThrow(() -> new IllegalStateException(
        "Set ETCD_LAUNCHER, or install Go so that .ci/build-etcd-launcher can build it"))
        .start());
  }

  @Override
  public int port() {
    return URI.create(server.endpoint()).getPort();
  }

  @Override
  public String serverFor(int proxyPort) {
    return "http://127.0.0.1:" + proxyPort;
  }

  @Override
  public String scope() {
    return "-";
  }

  @Override
  public LeaseLock adminLock() {
    return adminLock;
  }

  /** The key of the election {@code name} (such as a shard's), straight to etcd. */
  @Override
  public LeaseLock adminLock(String name) {
    EtcdLeaseLock lock = EtcdLeaseLock.builder(name).endpoints(server.endpoint())
        .requestTimeout(Duration.ofSeconds(5)).build();
    otherLocks.add(lock);
    return lock;
  }

  /** Stops etcd (SIGTERM) and starts it again on the same data and port. */
  @Override
  public void restart() {
    server.stop();
    server.restart();
  }

  @Override
  public void close() {
    adminLock.close();
    otherLocks.forEach(EtcdLeaseLock::close);
    server.close();
  }
}
