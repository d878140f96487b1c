package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.spi.LeaderRecord;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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

  /**
   * A request timeout under 204 ms once made jetcd's retry policy invalid (its delay not below
   * its maximum delay), so every call of the lock failed before reaching etcd.
   */
  @Test
  void lockWithAShortRequestTimeoutShouldReachEtcd() throws Exception {
    try (EtcdLeaseLock lock = connected("short-timeout-" + UUID.randomUUID()).requestTimeout(Duration.ofMillis(150))
        .build()) {
      Instant now = Instant.parse("2026-12-07T17:00:00Z");
      lock.create(LeaderRecord.builder().holderIdentity("a").leaseDuration(Duration.ofSeconds(15))
          .acquireTime(now).renewTime(now).build());

      assertThat(lock.get()).hasValueSatisfying(
          record -> assertThat(record.holderIdentity()).isEqualTo("a"));
    }
  }
}
