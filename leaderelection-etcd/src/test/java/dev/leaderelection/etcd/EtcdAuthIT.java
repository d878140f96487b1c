package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.RecordWatcher;
import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lock contract with etcd's authentication enabled, as a user whose role may read and write
 * only under {@code /leaderelection/}; a key outside it is refused with a clear permission
 * error, and neither password ever appears in what the lock reports.
 */
class EtcdAuthIT extends EtcdLockContract {

  private static final String ROOT_PASSWORD = "root-Pa55-" + System.nanoTime();
  private static final String PASSWORD = "elector-Pa55-" + System.nanoTime();

  @Override
  Client start(EtcdLauncher launcher) {
    server = launcher.start();
    try (Client root = server.client()) {
      Auth auth = root.getAuthClient();
      auth.userAdd(bytes("root"), bytes(ROOT_PASSWORD)).get(5, TimeUnit.SECONDS);
      auth.roleAdd(bytes("root")).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("root"), bytes("root")).get(5, TimeUnit.SECONDS);
      auth.userAdd(bytes("elector"), bytes(PASSWORD)).get(5, TimeUnit.SECONDS);
      auth.roleAdd(bytes("election")).get(5, TimeUnit.SECONDS);
      auth.roleGrantPermission(bytes("election"), bytes(PREFIX), bytes(prefixEnd(PREFIX)),
          Permission.Type.READWRITE).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(bytes("elector"), bytes("election")).get(5, TimeUnit.SECONDS);
      auth.authEnable().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Could not enable authentication", e);
    }
    return Client.builder().endpoints(server.endpoint()).user(bytes("root"))
        .password(bytes(ROOT_PASSWORD)).build();
  }

  @Override
  EtcdLeaseLockBuilder connected(String name) {
    return EtcdLeaseLock.builder(name).endpoints(server.endpoint())
        .credentials("elector", PASSWORD);
  }

  @Test
  void keyOutsideTheRolesPrefixShouldBeRefusedWithAPermissionError() {
    EtcdLeaseLock lock = lock("/elsewhere/denied");

    EtcdLockException read = catchThrowableOfType(EtcdLockException.class, lock::get);
    EtcdLockException write = catchThrowableOfType(EtcdLockException.class,
        () -> lock.create(record()));

    for (EtcdLockException failure : List.of(read, write)) {
      assertThat(failure.isPermissionDenied()).isTrue();
      assertThat(failure).hasMessageContaining("etcd at " + server.endpoint() + " refused to")
          .hasMessageContaining("PERMISSION_DENIED: etcdserver: permission denied")
          .hasMessageContaining("etcdctl role grant-permission --prefix=true <role> readwrite "
              + "/elsewhere/denied)")
          .hasMessageNotContaining(PASSWORD);
    }
    System.out.println("denied: " + write.getMessage());
  }

  @Test
  void watchOnAKeyOutsideTheRolesPrefixShouldReportThePermissionError() throws Exception {
    EtcdLeaseLock lock = lock("/elsewhere/watched");
    List<LeaseLockException> broken = new CopyOnWriteArrayList<>();

    try (AutoCloseable watch = lock.watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
      }

      @Override
      public void broken(LeaseLockException cause) {
        broken.add(cause);
      }
    }).orElseThrow()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !broken.isEmpty());
    }

    assertThat(broken.get(0)).isInstanceOf(EtcdLockException.class)
        .hasMessageContaining("permission denied").hasMessageNotContaining(PASSWORD);
  }

  @Test
  void wrongPasswordShouldBeExplainedWithoutShowingIt() {
    String wrong = "not-" + PASSWORD;
    EtcdLeaseLock lock = remember(EtcdLeaseLock.builder("wrong").endpoints(server.endpoint())
        .credentials("elector", wrong).requestTimeout(Duration.ofSeconds(3)).build());

    EtcdLockException failure = catchThrowableOfType(EtcdLockException.class, lock::get);

    assertThat(failure.reason()).isEqualTo("authentication failed");
    assertThat(failure).hasMessageContaining("the user name or password was not accepted")
        .hasMessageNotContaining(wrong);
    assertThat(lock.toString()).doesNotContain(wrong);
    System.out.println("wrong password: " + failure.getMessage());
  }

  private static LeaderRecord record() {
    return LeaderRecord.builder().holderIdentity("a").leaseDuration(Duration.ofSeconds(15))
        .acquireTime(Instant.now()).renewTime(Instant.now()).build();
  }

  private static String prefixEnd(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
