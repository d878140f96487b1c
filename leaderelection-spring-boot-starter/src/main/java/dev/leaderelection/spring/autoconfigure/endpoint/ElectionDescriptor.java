package dev.leaderelection.spring.autoconfigure.endpoint;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.Durations;
import dev.leaderelection.internal.Identities;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One election as the endpoint shows it. The fencing token is this instance's own while it leads,
 * else the token of the term it last observed. Durations are written as the properties take them
 * ({@code 15s}); times as RFC 3339. Carries no credentials: a failure is its reason and message.
 *
 * @param role {@code LEADER}, {@code FOLLOWER} or {@code CANDIDATE}
 * @param leader the holder last observed, or null; bounded as in logs unless it is a valid
 *     identity (anyone who may edit the lock writes it)
 * @param fencingToken the token of this instance's term, or of the term last observed, or null
 * @param lastRenew when the record last observed was renewed, or null
 * @param transitions the record's leaseTransitions, or null before the first read
 * @param lastFailure the last failed round's failure while the lock keeps failing, or null
 * @param details what the starter adds to the election's health details (such as
 *     {@code coordination}, {@code coordinationStall} and {@code events}); empty when nothing
 * @since 0.2.0
 */
public record ElectionDescriptor(String role, String identity, @Nullable String leader,
    @Nullable Long fencingToken, LockReference lock, String leaseDuration, String renewDeadline,
    String retryPeriod, @Nullable String lastRenew, @Nullable Integer transitions, int priority,
    @Nullable Failure lastFailure, Map<String, Object> details) {

  /**
   * A failure of the lock.
   *
   * @param reason the API's reason (such as {@code Forbidden}), or the kind of failure
   */
  public record Failure(String reason, String message) {

    static Failure of(LeaseLockException failure) {
      String reason = failure instanceof KubernetesApiException refused
          ? refused.reason() : failure.getClass().getSimpleName();
      return new Failure(reason, String.valueOf(failure.getMessage()));
    }
  }

  static ElectionDescriptor of(LeaderElector elector, Map<String, Object> details) {
    Optional<LeaderRecord> record = elector.observedRecord();
    Long token = elector.currentTerm().map(LeaderContext::fencingToken)
        .or(() -> record.filter(LeaderRecord::isHeld).map(held -> (long) held.leaseTransitions()))
        .orElse(null);
    return new ElectionDescriptor(LeaderElections.role(elector), elector.identity(),
        elector.leader().map(Identities::shown).orElse(null), token, elector.lock().reference(),
        Durations.format(elector.timings().leaseDuration()),
        Durations.format(elector.timings().renewDeadline()),
        Durations.format(elector.timings().retryPeriod()),
        record.map(LeaderRecord::renewTime).map(Instant::toString).orElse(null),
        record.map(LeaderRecord::leaseTransitions).orElse(null), elector.priority(),
        elector.lastFailure().map(Failure::of).orElse(null), Map.copyOf(details));
  }
}
