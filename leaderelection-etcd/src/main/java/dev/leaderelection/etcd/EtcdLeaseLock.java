package dev.leaderelection.etcd;

import dev.leaderelection.LeaseConflictException;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spi.RecordWatcher;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LeaseLock} held in one etcd v3 key (by default {@code /leaderelection/<name>}) with
 * etcd's optimistic concurrency. The value is the JSON of client-go's
 * {@code LeaderElectionRecord}, so {@code etcdctl get} shows who leads; the record's version is
 * the key's {@code mod_revision}. A create is a transaction guarded by
 * {@code create_revision == 0}, an update one guarded by {@code mod_revision == <version read>};
 * a transaction whose guard fails is a {@link LeaseConflictException}, every other failure an
 * {@link EtcdLockException} naming the endpoints and etcd's code. Every call is bounded by the
 * request timeout.
 *
 * <p>Watches keep an etcd watch on the key, so followers learn of every change at once and send
 * nothing while the leader renews; each watch runs on a daemon thread of its own, and reconnects
 * (reading the record again) after failures, history compaction included.
 *
 * <p>The user needs read and write permission on the key ({@code etcdctl role grant-permission
 * --prefix=true <role> readwrite /leaderelection/<name>}, which covers the {@link #termKey()} too).
 * The fencing token keeps its meaning: {@code leaderTransitions} grows with every term; for
 * writes into etcd itself, {@link #termRevision} gives the revision to guard them with.
 *
 * <p>Thread-safe. {@link #close()} ends this lock's watches and closes the jetcd client if the
 * lock made it; a client given to {@link EtcdLeaseLockBuilder#client} is never closed.
 *
 * @since 0.2.0
 */
public final class EtcdLeaseLock implements LeaseLock, AutoCloseable {

  private final Client client;
  private final boolean ownsClient;
  private final String key;
  private final ByteSequence keyBytes;
  private final String endpoints;
  private final EtcdCalls calls;
  private final TermKey term;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();

  EtcdLeaseLock(Client client, boolean ownsClient, String key, String endpoints,
      Duration requestTimeout) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.key = key;
    this.keyBytes = ByteSequence.from(key, StandardCharsets.UTF_8);
    this.endpoints = endpoints;
    this.calls = new EtcdCalls(key, endpoints, requestTimeout);
    this.term = new TermKey(key);
  }

  /**
   * Starts configuring a lock for the election {@code name}, whose record is the key
   * {@code /leaderelection/<name>} unless {@link EtcdLeaseLockBuilder#key} says otherwise.
   */
  public static EtcdLeaseLockBuilder builder(String name) {
    return new EtcdLeaseLockBuilder(name);
  }

  /** The key holding the record. */
  public String key() {
    return key;
  }

  /**
   * The key beside the record, {@code <key>/term}, that holds the fencing token of the current
   * term; its {@code mod_revision} is the {@linkplain #termRevision revision the term began at}.
   * Every write of the record moves it in the same transaction when, and only when, a new term
   * begins. The user needs permission on it too (a grant on the prefix covers both).
   */
  public String termKey() {
    return term.key();
  }

  /**
   * The etcd revision of the first write of the term whose fencing token is
   * {@code fencingToken}, while that term is the current one: a leader fencing its writes into
   * the same etcd guards each one with it, and the write fails once any later term has begun,
   * renewals notwithstanding:
   *
   * <pre>{@code
   * long begun = lock.termRevision(context.fencingToken()).orElseThrow(); // once per term
   * TxnResponse written = client.getKVClient().txn()
   *     .If(new Cmp(ByteSequence.from(lock.termKey(), UTF_8), Cmp.Op.EQUAL,
   *         CmpTarget.modRevision(begun)))
   *     .Then(Op.put(dataKey, value, PutOption.DEFAULT))
   *     .commit().get();
   * // written.isSucceeded() is false when the term is over
   * }</pre>
   *
   * @return the revision, or empty when another term is current (or none has begun)
   * @throws EtcdLockException when etcd cannot be read
   */
  public OptionalLong termRevision(long fencingToken) {
    GetResponse response = calls.call("get", () -> client.getKVClient().get(term.bytes()));
    return response.getKvs().stream()
        .filter(value -> value.getValue().equals(TermKey.value(fencingToken)))
        .mapToLong(KeyValue::getModRevision).findFirst();
  }

  @Override
  public Optional<LeaderRecord> get() {
    return calls.await("get", getAsync());
  }

  @Override
  public LeaderRecord create(LeaderRecord record) {
    return calls.await("create", createAsync(record));
  }

  @Override
  public LeaderRecord update(LeaderRecord record) {
    return calls.await("update", updateAsync(record));
  }

  /**
   * {@link #get()} on jetcd's own threads, without holding the caller's; cancelling the future
   * cancels the call. The read is a read-only transaction, which etcd answers as it answers a
   * range (linearizable, no write): a follower's reads so take the path of the write that makes
   * it leader, whose first call in a JVM was about 20 ms slower cold, in every handover.
   */
  @Override
  public CompletableFuture<Optional<LeaderRecord>> getAsync() {
    return calls.callAsync("get", () -> client.getKVClient().txn()
        .Then(Op.get(keyBytes, GetOption.DEFAULT)).commit(),
        response -> response.getGetResponses().stream().flatMap(read -> read.getKvs().stream())
            .findFirst().map(this::decode));
  }

  /** {@link #create} without holding the caller's thread (see {@link #getAsync()}). */
  @Override
  public CompletableFuture<LeaderRecord> createAsync(LeaderRecord record) {
    String json = RecordJson.encode(record);
    return calls.callAsync("create", () -> client.getKVClient().txn()
        .If(new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(keyBytes, ByteSequence.from(json, StandardCharsets.UTF_8), PutOption.DEFAULT),
            term.moveTo(record.leaseTransitions()))
        .commit(), response -> {
          if (!response.isSucceeded()) {
            throw new LeaseConflictException(describe() + " was created by someone else");
          }
          return RecordJson.decode(json, Long.toString(response.getHeader().getRevision()), key);
        });
  }

  /** {@link #update} without holding the caller's thread (see {@link #getAsync()}). */
  @Override
  public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
    long version;
    try {
      version = revision(record.version());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String json = RecordJson.encode(record);
    return calls.callAsync("update", () -> client.getKVClient().txn()
        .If(new Cmp(keyBytes, Cmp.Op.EQUAL, CmpTarget.modRevision(version)))
        .Then(Op.put(keyBytes, ByteSequence.from(json, StandardCharsets.UTF_8), PutOption.DEFAULT),
            term.moveTo(record.leaseTransitions()))
        .Else(Op.get(keyBytes, GetOption.DEFAULT))
        .commit(), response -> updated(response, json, version));
  }

  private LeaderRecord updated(TxnResponse response, String json, long version) {
    if (!response.isSucceeded()) {
      Optional<KeyValue> current = response.getGetResponses().stream()
          .flatMap(get -> get.getKvs().stream()).findFirst();
      throw new LeaseConflictException(current.isEmpty() ? describe() + " does not exist"
          : describe() + " is at version " + current.get().getModRevision() + ", not "
              + version);
    }
    return RecordJson.decode(json, Long.toString(response.getHeader().getRevision()), key);
  }

  /**
   * Watches the key on a daemon thread of its own until the handle is closed (see the class
   * description).
   */
  @Override
  public Optional<AutoCloseable> watch(RecordWatcher watcher) {
    Objects.requireNonNull(watcher, "watcher");
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread daemon = new Thread(task, "leader-election-watch etcd " + key);
      daemon.setDaemon(true);
      return daemon;
    });
    EtcdWatch watch = new EtcdWatch(client.getWatchClient(), keyBytes, "etcd key " + key,
        new WatchSource(), watcher, thread, System::nanoTime, calls.timeout());
    watches.add(watch);
    watch.start();
    return Optional.of(() -> {
      watches.remove(watch);
      watch.close();
    });
  }

  @Override
  public String describe() {
    return "etcd key " + key + " at " + endpoints;
  }

  /** Kind {@code etcd}, no namespace, the key as the name. */
  @Override
  public LockReference reference() {
    return new LockReference("etcd", null, key);
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Ends this lock's watches, and closes the jetcd client if this lock made it. Idempotent. */
  @Override
  public void close() {
    watches.forEach(EtcdWatch::close);
    watches.clear();
    if (ownsClient) {
      client.close();
    }
  }

  private LeaderRecord decode(KeyValue value) {
    return RecordJson.decode(value.getValue().toString(StandardCharsets.UTF_8),
        Long.toString(value.getModRevision()), key);
  }

  /** The revision a version names; one that names none cannot be current, so it conflicts. */
  private long revision(@Nullable String version) {
    try {
      long revision = version == null ? 0 : Long.parseLong(version);
      if (revision > 0) {
        return revision;
      }
    } catch (NumberFormatException e) {
      // falls through: not a revision
    }
    throw new LeaseConflictException(describe() + " cannot be updated from version " + version
        + ", which is not an etcd revision");
  }

  /** What the watches read and decode through this lock. */
  private final class WatchSource implements EtcdWatch.Source {

    @Override
    public EtcdWatch.Snapshot read() {
      GetResponse response = calls.call("get", () -> client.getKVClient().get(keyBytes));
      return new EtcdWatch.Snapshot(response.getKvs().stream().findFirst()
          .map(EtcdLeaseLock.this::decode), response.getHeader().getRevision());
    }

    @Override
    public LeaderRecord decode(KeyValue value) {
      return EtcdLeaseLock.this.decode(value);
    }

    @Override
    public LeaseLockException failure(Throwable cause) {
      return calls.failure("watch", cause);
    }
  }
}
