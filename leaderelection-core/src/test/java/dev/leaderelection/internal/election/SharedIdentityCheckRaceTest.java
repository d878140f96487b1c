package dev.leaderelection.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.leaderelection.AsyncLock;
import dev.leaderelection.ElectorLog;
import dev.leaderelection.FakeTicker;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared-identity check against this elector's own calls in flight together, answered in the
 * order a loaded API server and client may answer them: a read sent before a write is answered
 * after it, with the record as it was. Found in the groups benchmark (1,000 shards over 5
 * members), where a hand-off's release overlapped a read of the same shard and the check
 * reported "renewed by another process" four times in one run.
 */
class SharedIdentityCheckRaceTest {

  @RegisterExtension
  final ElectorLog log = ElectorLog.capture();

  private final FakeTicker ticker = new FakeTicker();
  private final AsyncLock lock = new AsyncLock(new InMemoryLeaseLock("jobs"));
  private final SharedIdentityCheck check = new SharedIdentityCheck(lock, "me", ticker);

  @Test
  void readAnsweredAfterALaterOwnWriteWasConfirmedShouldNotBeReported() {
    Instant now = ticker.clock().instant();
    LeaderRecord first = acquired(now);

    CompletableFuture<Optional<LeaderRecord>> read = check.getAsync();
    AsyncLock.Pending staleRead = lock.next(); // the server read the record here
    CompletableFuture<LeaderRecord> renewed = check.updateAsync(
        first.toBuilder().renewTime(now.plusSeconds(2)).build());
    lock.next().respond();
    renewed.join();
    staleRead.future().complete(Optional.of(first)); // its answer arrives only now

    assertThat(read.join()).contains(first);
    assertThat(log.at(Level.ERROR)).isEmpty();
  }

  @Test
  void recordThisElectorNeverWroteShouldStillBeReportedWhateverItHasInFlight() {
    Instant now = ticker.clock().instant();
    LeaderRecord first = acquired(now);

    CompletableFuture<Optional<LeaderRecord>> read = check.getAsync();
    lock.next().future().complete(Optional.of(first.toBuilder()
        .renewTime(now.plusMillis(1234)).version("another-process").build()));

    assertThat(read.join()).isPresent();
    assertThat(log.at(Level.ERROR)).singleElement().asString()
        .contains("renewed by another process under this instance's identity 'me'");
  }

  /** This elector's first term, created through the check and answered at once. */
  private LeaderRecord acquired(Instant now) {
    CompletableFuture<LeaderRecord> created = check.createAsync(LeaderRecord.builder()
        .holderIdentity("me").leaseDuration(Duration.ofSeconds(15)).acquireTime(now)
        .renewTime(now).build());
    lock.next().respond();
    return created.join();
  }
}
