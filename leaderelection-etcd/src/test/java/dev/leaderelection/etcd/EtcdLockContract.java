package dev.leaderelection.etcd;

import dev.leaderelection.contract.LeaseLockContract;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import dev.leaderelection.spi.LeaseLock;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lock contract against a real etcd server of the subclass's making (plain, TLS, with
 * authentication); each lock has a client of its own, as separate processes would.
 */
@ExtendWith(EtcdLauncherExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EtcdLockContract extends LeaseLockContract {

  /** Where the contract's keys live; an authenticated user may write only under it. */
  static final String PREFIX = "/leaderelection/";

  private final List<EtcdLeaseLock> locks = new ArrayList<>();
  protected EtcdServer server;
  protected Client admin;

  /** Starts the server and returns a client that may delete any key. */
  abstract Client start(EtcdLauncher launcher);

  /** A builder connected as the contract's locks are, for {@code name}. */
  abstract EtcdLeaseLockBuilder connected(String name);

  @BeforeAll
  void startEtcd(EtcdLauncher launcher) {
    admin = start(launcher);
  }

  @AfterAll
  void stopEtcd() {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeLocks() {
    locks.forEach(EtcdLeaseLock::close);
    locks.clear();
  }

  @Override
  protected LeaseLock newLock() {
    return lock(PREFIX + "contract-" + UUID.randomUUID());
  }

  @Override
  protected LeaseLock newLockFor(LeaseLock lock) {
    return lock(((EtcdLeaseLock) lock).key());
  }

  @Override
  protected void deleteRecord(LeaseLock lock) {
    try {
      admin.getKVClient().delete(ByteSequence.from(((EtcdLeaseLock) lock).key(),
          StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A lock on {@code key}, closed after the test. */
  EtcdLeaseLock lock(String key) {
    return remember(connected("contract").key(key).requestTimeout(Duration.ofSeconds(5))
        .build());
  }

  /** Closes {@code lock} after the test. */
  EtcdLeaseLock remember(EtcdLeaseLock lock) {
    locks.add(lock);
    return lock;
  }
}
