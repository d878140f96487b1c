package dev.leaderelection.kubernetes;

import static dev.leaderelection.kubernetes.FakeLeaseServer.LEASE_PATH;
import static dev.leaderelection.kubernetes.FakeLeaseServer.NAME;
import static dev.leaderelection.kubernetes.FakeLeaseServer.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which object a Kubernetes lock's non-blocking update is based on, and that an update whose base
 * the lock must read first holds no thread while the API server answers: against a real HTTP
 * server that stands in for the API server (requests counted, answers withheld on demand).
 */
class ObjectLockUpdateTest {

  /** Long enough never to end a call in these tests: nothing here waits for it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long WAIT_SECONDS = 30;

  private final CompletableFuture<Call> cancelled = new CompletableFuture<>();
  private FakeLeaseServer server;
  private KubernetesLocks locks;

  @BeforeEach
  void start() throws Exception {
    server = new FakeLeaseServer("pod-a", 5);
    OkHttpClient http = new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void canceled(Call call) {
        cancelled.complete(call);
      }
    }).build();
    locks = KubernetesLocks.create(new ApiClient().setHttpClient(http)
        .setBasePath(server.basePath()));
  }

  @AfterEach
  void stop() {
    locks.close();
    server.close();
  }

  @Test
  void staleWatchEventAfterAWriteShouldNotMakeTheNextUpdateReadFirst() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    RecordingWatcher watcher = new RecordingWatcher();
    try (AutoCloseable watch = lock.watch(watcher).orElseThrow()) {
      watcher.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
      V1Lease beforeTheWrite = server.stored();
      LeaderRecord read = answer(lock.getAsync()).orElseThrow();
      LeaderRecord renewed = answer(lock.updateAsync(renewal(read)));
      // The watch, behind the write's answer, reports the state the write replaced.
      server.sendWatchEvent("MODIFIED", beforeTheWrite);
      assertThat(watcher.nextChange().version()).isEqualTo("5");
      server.forgetRequests();

      LeaderRecord again = answer(lock.updateAsync(renewal(renewed)));

      assertThat(renewed.version()).isEqualTo("6");
      assertThat(again.version()).isEqualTo("7");
      assertThat(server.requests()).containsExactly("PUT " + LEASE_PATH);
    }
  }

  @Test
  void updateRacingAMetadataOnlyEditShouldHoldNoThreadWhileTheLockReadsFirst() throws Exception {
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    RecordingWatcher watcher = new RecordingWatcher();
    try (AutoCloseable watch = lock.watch(watcher).orElseThrow()) {
      watcher.connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
      LeaderRecord renewed = answer(lock.updateAsync(renewal(answer(lock.getAsync())
          .orElseThrow())));
      // An operator labels the Lease; the lock sees it before the leader's next renewal.
      server.sendWatchEvent("MODIFIED", server.addLabel("team", "payments"));
      assertThat(watcher.nextChange().version()).isEqualTo("7");
      server.forgetRequests();
      server.withholdReads();

      CompletableFuture<LeaderRecord> update = lock.updateAsync(renewal(renewed));
      server.awaitRead();

      assertThat(update).isNotDone();
      server.answerReads();
      assertThatThrownBy(() -> answer(update)).isInstanceOf(LeaseConflictException.class)
          .hasMessageContaining("is at version 7, not 6");
      assertThat(server.requests()).containsExactly("GET " + LEASE_PATH);
    }
  }

  @Test
  void updateFromAVersionTheLockHasNotSeenShouldReplaceOnceTheReadIsAnswered() throws Exception {
    server.addLabel("team", "payments");
    LeaderRecord readElsewhere = answer(locks.lease(NAMESPACE, NAME, TIMEOUT).getAsync())
        .orElseThrow();
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    server.forgetRequests();
    server.withholdReads();

    CompletableFuture<LeaderRecord> update = lock.updateAsync(renewal(readElsewhere));
    server.awaitRead();

    assertThat(update).isNotDone();
    server.answerReads();
    assertThat(answer(update).version()).isEqualTo("7");
    assertThat(server.stored().getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(server.requests()).containsExactly("GET " + LEASE_PATH, "PUT " + LEASE_PATH);
  }

  @Test
  void cancellingAnUpdateWhileItReadsShouldCancelTheRead() throws Exception {
    LeaderRecord readElsewhere = answer(locks.lease(NAMESPACE, NAME, TIMEOUT).getAsync())
        .orElseThrow();
    LeaseLock lock = locks.lease(NAMESPACE, NAME, TIMEOUT);
    server.withholdReads();
    CompletableFuture<LeaderRecord> update = lock.updateAsync(renewal(readElsewhere));
    server.awaitRead();
    assertThat(update).isNotDone();

    update.cancel(true);

    Call call = cancelled.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(call.request().method()).isEqualTo("GET");
    assertThat(call.request().url().encodedPath()).isEqualTo(LEASE_PATH);
  }

  /** The same holder's record renewed a second later, based on {@code record}'s version. */
  private static LeaderRecord renewal(LeaderRecord record) {
    return record.toBuilder().renewTime(record.renewTime().plusSeconds(1)).build();
  }

  /** The call's answer; what it failed with, as is. */
  private static <T> T answer(CompletableFuture<T> call) throws Exception {
    try {
      return call.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Notes the watch's connection and each change. */
  private static final class RecordingWatcher implements RecordWatcher {

    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final BlockingQueue<Optional<LeaderRecord>> changes = new LinkedBlockingQueue<>();

    @Override
    public void connected() {
      connected.complete(null);
    }

    @Override
    public void changed(Optional<LeaderRecord> record) {
      changes.add(record);
    }

    @Override
    public void broken(LeaseLockException cause) {
    }

    LeaderRecord nextChange() throws InterruptedException {
      Optional<LeaderRecord> change = changes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(change).as("a change within %ss", WAIT_SECONDS).isNotNull();
      return change.orElseThrow();
    }
  }
}
