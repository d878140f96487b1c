package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.leaderelection.FakeTicker;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.ManualScheduler;
import dev.leaderelection.internal.WatchBackoff;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.RecordWatcher;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watch's life on a fake jetcd watch client and a manual clock: no etcd, no sleeping. */
class EtcdWatchTest {

  private static final String KEY = "/leaderelection/x";
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);

  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler executor = new ManualScheduler(ticker);
  private final FakeWatchClient client = new FakeWatchClient();
  private final Deque<Object> reads = new ArrayDeque<>();
  private final List<String> seen = new ArrayList<>();
  private int readCount;
  private final EtcdWatch watch = new EtcdWatch(client, bytes(KEY), "etcd key " + KEY,
      new ScriptedSource(), new RecordingWatcher(), executor, ticker::read,
      CONFIRM_TIMEOUT);

  @Test
  void shouldReportConnectedOnConfirmationThenTheRecordReadThenEveryChangeInOrder() {
    reads.add(new EtcdWatch.Snapshot(Optional.of(record("a", "5")), 5));
    watch.start();
    executor.runDue();

    assertThat(client.opened).hasSize(1);
    assertThat(client.opened.get(0).option.getRevision()).isEqualTo(6);
    assertThat(seen).isEmpty();

    client.last().created();
    client.last().events(put("b", 6), delete(7), put("c", 8));
    executor.runDue();

    assertThat(seen).containsExactly("connected", "a@5", "b@6", "deleted", "c@8");
  }

  @Test
  void failureShouldBeReportedThenAFreshReadAndWatchFollowAfterTheBackoff() {
    connected(5);

    client.last().listener.onError(Status.UNAVAILABLE.withDescription("io exception")
        .asRuntimeException());
    executor.runDue();

    assertThat(seen).last().asString().startsWith("broken: Could not reach etcd");
    assertThat(client.last().closed).isTrue();
    reads.add(new EtcdWatch.Snapshot(Optional.of(record("b", "9")), 12));
    executor.advance(Duration.ofMillis(999));
    assertThat(readCount).isEqualTo(1);

    executor.advance(Duration.ofMillis(1));
    client.last().created();
    executor.runDue();

    assertThat(readCount).isEqualTo(2);
    assertThat(client.opened).hasSize(2);
    assertThat(client.last().option.getRevision()).isEqualTo(13);
    assertThat(seen).endsWith("connected", "b@9");
  }

  @Test
  void compactionShouldBeReportedAndTheRecordReadAgain() {
    connected(5);

    client.last().listener.onError(EtcdExceptionFactory.newCompactedException(20));
    executor.runDue();
    reads.add(new EtcdWatch.Snapshot(Optional.empty(), 25));
    executor.advance(WatchBackoff.INITIAL);
    client.last().created();
    executor.runDue();

    assertThat(seen).anyMatch(event -> event.startsWith("broken: ")
        && event.contains("compacted its history past revision 20"));
    assertThat(client.last().option.getRevision()).isEqualTo(26);
    assertThat(seen).endsWith("connected", "deleted");
  }

  @Test
  void watchThatEtcdDoesNotConfirmShouldBreakAfterTheTimeout() {
    reads.add(new EtcdWatch.Snapshot(Optional.empty(), 5));
    watch.start();
    executor.runDue();

    executor.advance(CONFIRM_TIMEOUT);

    assertThat(seen).containsExactly("broken: etcd did not confirm the watch on etcd key " + KEY
        + " within 2000ms");
    assertThat(client.last().closed).isTrue();
  }

  @Test
  void failedReadsShouldBackOffDoublingAndNothingBeWatchedMeanwhile() {
    reads.add(new LeaseLockException("read failed 1"));
    reads.add(new LeaseLockException("read failed 2"));
    watch.start();
    executor.runDue();

    assertThat(executor.untilNext()).isEqualTo(Duration.ofSeconds(1));
    executor.advance(Duration.ofSeconds(1));
    assertThat(executor.untilNext()).isEqualTo(Duration.ofSeconds(2));

    assertThat(seen).containsExactly("broken: read failed 1", "broken: read failed 2");
    assertThat(client.opened).isEmpty();
  }

  @Test
  void valueThatIsNotARecordShouldBreakTheWatch() {
    connected(5);

    client.last().events(Event.newBuilder().setType(Event.EventType.PUT)
        .setKv(kv("not json", 6)).build());
    executor.runDue();

    assertThat(seen).last().asString().startsWith("broken: etcd key " + KEY
        + " holds a value that is not a leader record");
    assertThat(client.last().closed).isTrue();
  }

  @Test
  void callbacksOfAReplacedConnectionShouldBeIgnored() {
    connected(5);
    FakeWatcher old = client.last();
    old.listener.onError(Status.UNAVAILABLE.asRuntimeException());
    executor.runDue();
    int reported = seen.size();

    old.events(put("late", 6));
    old.listener.onCompleted();
    executor.runDue();

    assertThat(seen).hasSize(reported);
  }

  @Test
  void nothingShouldBeReportedAfterClose() {
    connected(5);
    FakeWatcher watching = client.last();

    watch.close();
    watching.events(put("late", 6));
    watching.listener.onError(Status.UNAVAILABLE.asRuntimeException());
    executor.runDue();

    assertThat(watching.closed).isTrue();
    assertThat(executor.isShutdown()).isTrue();
    assertThat(seen).containsExactly("connected", "a@5");
  }

  private void connected(long revision) {
    reads.add(new EtcdWatch.Snapshot(Optional.of(record("a", Long.toString(revision))),
        revision));
    watch.start();
    executor.runDue();
    client.last().created();
    executor.runDue();
    assertThat(seen).containsExactly("connected", "a@" + revision);
  }

  private static LeaderRecord record(String holder, String version) {
    return LeaderRecord.builder().holderIdentity(holder).leaseDuration(Duration.ofSeconds(15))
        .leaseTransitions(1).version(version).build();
  }

  private static Event put(String holder, long revision) {
    return Event.newBuilder().setType(Event.EventType.PUT)
        .setKv(kv(RecordJson.encode(record(holder, null)), revision)).build();
  }

  private static Event delete(long revision) {
    return Event.newBuilder().setType(Event.EventType.DELETE)
        .setKv(io.etcd.jetcd.api.KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(KEY))
            .setModRevision(revision))
        .build();
  }

  private static io.etcd.jetcd.api.KeyValue kv(String value, long revision) {
    return io.etcd.jetcd.api.KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(KEY))
        .setValue(ByteString.copyFromUtf8(value)).setModRevision(revision).build();
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private final class ScriptedSource implements EtcdWatch.Source {

    @Override
    public EtcdWatch.Snapshot read() {
      readCount++;
      Object next = reads.remove();
      if (next instanceof LeaseLockException failure) {
        throw failure;
      }
      return (EtcdWatch.Snapshot) next;
    }

    @Override
    public LeaderRecord decode(KeyValue value) {
      return RecordJson.decode(value.getValue().toString(StandardCharsets.UTF_8),
          Long.toString(value.getModRevision()), KEY);
    }

    @Override
    public LeaseLockException failure(Throwable cause) {
      return new EtcdCalls(KEY, "http://127.0.0.1:2379", Duration.ofSeconds(1))
          .failure("watch", cause);
    }
  }

  private final class RecordingWatcher implements RecordWatcher {

    @Override
    public void connected() {
      seen.add("connected");
    }

    @Override
    public void changed(Optional<LeaderRecord> record) {
      seen.add(record.map(r -> r.holderIdentity() + "@" + r.version()).orElse("deleted"));
    }

    @Override
    public void broken(LeaseLockException cause) {
      seen.add("broken: " + cause.getMessage());
    }
  }

  /** jetcd's watch client, as far as the lock uses it. */
  private static final class FakeWatchClient implements Watch {

    final List<FakeWatcher> opened = new ArrayList<>();

    FakeWatcher last() {
      return opened.get(opened.size() - 1);
    }

    @Override
    public Watcher watch(ByteSequence key, WatchOption option, Listener listener) {
      assertThat(key).isEqualTo(bytes(KEY));
      FakeWatcher watcher = new FakeWatcher(option, listener);
      opened.add(watcher);
      return watcher;
    }

    @Override
    public void requestProgress() {
    }

    @Override
    public void close() {
    }
  }

  private static final class FakeWatcher implements Watch.Watcher {

    final WatchOption option;
    final Watch.Listener listener;
    boolean closed;

    FakeWatcher(WatchOption option, Watch.Listener listener) {
      this.option = option;
      this.listener = listener;
    }

    void created() {
      listener.onNext(new WatchResponse(io.etcd.jetcd.api.WatchResponse.newBuilder()
          .setCreated(true).setHeader(ResponseHeader.newBuilder().setRevision(1)).build()));
    }

    void events(Event... events) {
      io.etcd.jetcd.api.WatchResponse.Builder response = io.etcd.jetcd.api.WatchResponse
          .newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(1));
      for (Event event : events) {
        response.addEvents(event);
      }
      listener.onNext(new WatchResponse(response.build(), ByteSequence.EMPTY));
    }

    @Override
    public void close() {
      closed = true;
      listener.onCompleted();
    }

    @Override
    public void requestProgress() {
    }

    @Override
    public boolean isClosed() {
      return closed;
    }
  }
}
