package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.FakeTicker;
import dev.leaderelection.ManualScheduler;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.CompactResponse;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.TxnOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The announcement's steps on a fake jetcd whose answers the test gives, and a scheduler that
 * runs tasks on the test's thread at the time the test moves to: no etcd, no sleeping.
 */
class MemberAnnouncementTest {

  private static final String KEY = "/leaderelection/groups/tenants/members/pod-a";

  private final FakeEtcd etcd = new FakeEtcd();
  private final ManualScheduler executor = ManualScheduler.executingAtOnce(new FakeTicker());
  private final List<MemberAnnouncement> left = new ArrayList<>();
  private final MemberAnnouncement announcement = new MemberAnnouncement(etcd, etcd.kv, KEY,
      "pod-a", 6, new EtcdCalls(KEY, "http://127.0.0.1:2379", Duration.ofMinutes(1)), executor,
      left::add);

  @Test
  void joinShouldGrantALeaseThenPutTheKeyOnItThenKeepItAliveEveryThirdOfItsTtl() {
    announcement.start();
    assertThat(etcd.calls).containsExactly("grant 6");

    etcd.answer(grant(7, 6));
    assertThat(etcd.calls).containsExactly("grant 6", "put " + KEY + "=pod-a on 7");
    etcd.answer(put());
    executor.advance(Duration.ofMillis(1_999));
    assertThat(etcd.calls).hasSize(2);

    executor.advance(Duration.ofMillis(1));
    assertThat(etcd.calls).last().isEqualTo("keep alive 7");
    etcd.answer(alive(7, 6));
    executor.advance(Duration.ofSeconds(2));

    assertThat(etcd.calls).last().isEqualTo("keep alive 7");
    assertThat(etcd.calls).hasSize(4);
  }

  @Test
  void leaseFoundGoneShouldBeGrantedAgainAndTheKeyPutOnTheNewOne() {
    announced(7);

    executor.advance(Duration.ofSeconds(2));
    etcd.fail(Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"));
    etcd.answer(grant(8, 6));

    assertThat(etcd.calls).endsWith("keep alive 7", "grant 6", "put " + KEY + "=pod-a on 8");
  }

  @Test
  void keepAliveAnsweredWithNoTtlShouldAlsoMeanTheLeaseIsGone() {
    announced(7);

    executor.advance(Duration.ofSeconds(2));
    etcd.answer(alive(7, 0));

    assertThat(etcd.calls).endsWith("keep alive 7", "grant 6");
  }

  @Test
  void failedKeepAliveShouldBeTriedAgainWithinASecondOnTheSameLease() {
    announced(7);

    executor.advance(Duration.ofSeconds(2));
    etcd.fail(Status.UNAVAILABLE.withDescription("io exception"));
    executor.advance(Duration.ofMillis(999));
    assertThat(etcd.calls).last().isEqualTo("keep alive 7");
    int sent = etcd.calls.size();

    executor.advance(Duration.ofMillis(1));

    assertThat(etcd.calls).hasSize(sent + 1).last().isEqualTo("keep alive 7");
  }

  @Test
  void putRefusedBecauseTheLeaseIsGoneShouldGrantANewOne() {
    announcement.start();
    etcd.answer(grant(7, 6));

    etcd.fail(Status.NOT_FOUND.withDescription("etcdserver: requested lease not found"));

    assertThat(etcd.calls).endsWith("put " + KEY + "=pod-a on 7", "grant 6");
  }

  @Test
  void closeShouldRevokeTheLeaseOnceAndStopKeepingItAlive() {
    announced(7);
    etcd.answerAtOnce = true;

    announcement.close();
    announcement.close();
    executor.advance(Duration.ofSeconds(10));

    assertThat(etcd.calls).endsWith("revoke 7");
    assertThat(etcd.calls).filteredOn(call -> call.startsWith("revoke")).hasSize(1);
    assertThat(left).containsExactly(announcement);
    assertThat(executor.isShutdown()).isTrue();
  }

  @Test
  void leaseGrantedAfterCloseShouldBeRevokedAndNoKeyPut() {
    announcement.start();

    announcement.close(); // the grant is still on its way: nothing to revoke yet
    etcd.answerAtOnce = true;
    etcd.answer(grant(7, 6));

    assertThat(etcd.calls).containsExactly("grant 6", "revoke 7");
  }

  private void announced(long lease) {
    announcement.start();
    etcd.answer(grant(lease, 6));
    etcd.answer(put());
  }

  private static LeaseGrantResponse grant(long id, long ttl) {
    return new LeaseGrantResponse(io.etcd.jetcd.api.LeaseGrantResponse.newBuilder().setID(id)
        .setTTL(ttl).build());
  }

  private static LeaseKeepAliveResponse alive(long id, long ttl) {
    return new LeaseKeepAliveResponse(io.etcd.jetcd.api.LeaseKeepAliveResponse.newBuilder()
        .setID(id).setTTL(ttl).build());
  }

  private static PutResponse put() {
    return new PutResponse(io.etcd.jetcd.api.PutResponse.getDefaultInstance(), ByteSequence.EMPTY);
  }

  /** A jetcd lease and KV client that records each call and leaves it pending for the test. */
  private static final class FakeEtcd implements Lease {

    final List<String> calls = new ArrayList<>();
    final List<CompletableFuture<Object>> pending = new ArrayList<>();
    boolean answerAtOnce;
    final KV kv = new FakeKv();

    /** Answers the oldest pending call. */
    @SuppressWarnings("unchecked")
    void answer(Object response) {
      pending.remove(0).complete(response);
    }

    void fail(Status status) {
      pending.remove(0).completeExceptionally(status.asRuntimeException());
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> call(String call, T atOnce) {
      calls.add(call);
      CompletableFuture<Object> future = new CompletableFuture<>();
      if (answerAtOnce && atOnce != null) {
        future.complete(atOnce);
      } else {
        pending.add(future);
      }
      return (CompletableFuture<T>) future;
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> grant(long ttl) {
      return call("grant " + ttl, null);
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> grant(long ttl, long timeout, TimeUnit unit) {
      return grant(ttl);
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
      return call("revoke " + leaseId, new LeaseRevokeResponse(
          io.etcd.jetcd.api.LeaseRevokeResponse.getDefaultInstance()));
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId) {
      return call("keep alive " + leaseId, null);
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId,
        LeaseOption option) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CloseableClient keepAlive(long leaseId,
        StreamObserver<LeaseKeepAliveResponse> observer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }

    private final class FakeKv implements KV {

      @Override
      public CompletableFuture<PutResponse> put(ByteSequence key, ByteSequence value) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<PutResponse> put(ByteSequence key, ByteSequence value,
          PutOption option) {
        return call("put " + key.toString(StandardCharsets.UTF_8) + "="
            + value.toString(StandardCharsets.UTF_8) + " on " + option.getLeaseId(), null);
      }

      @Override
      public CompletableFuture<GetResponse> get(ByteSequence key) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<GetResponse> get(ByteSequence key, GetOption option) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<DeleteResponse> delete(ByteSequence key) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<DeleteResponse> delete(ByteSequence key, DeleteOption option) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<CompactResponse> compact(long rev) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompletableFuture<CompactResponse> compact(long rev, CompactOption option) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Txn txn() {
        throw new UnsupportedOperationException();
      }

      @Override
      public Txn txn(TxnOption option) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void close() {
      }
    }
  }
}
