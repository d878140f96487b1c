package dev.leaderelection.kubernetes.coordinated;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.KubernetesApiException;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidate;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidateSpec;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a coordinated candidate last learned of the candidate the controller prefers over it, and
 * whether that preference is stale: the preferred candidate's LeaseCandidate is gone, or the
 * controller pinged it ({@code pingTime} after its {@code renewTime}) and it has stayed
 * unanswered for the controller's {@value LeaseCandidacy#PING_TIMEOUT_SECONDS} s on this
 * process's monotonic clock, or it does not outrank this candidate by the controller's rules
 * (this candidate outranks it, or they tie: the controller then takes whichever its informer
 * lists first, so it may keep choosing this one and leave the expired Lease as it is). No
 * wall-clock time of another process is compared with this one's. Read on the candidacy's
 * thread, asked from any.
 */
final class PreferredCandidate {

  /** A reading this recent answers the next question too. */
  private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final LeaseCandidateApi api;
  private final String binaryVersion;
  private final String emulationVersion;
  private volatile @Nullable Preferred preferred;

  PreferredCandidate(LeaseCandidateApi api, String binaryVersion, String emulationVersion) {
    this.api = api;
    this.binaryVersion = binaryVersion;
    this.emulationVersion = emulationVersion;
  }

  /** Whether the preference for {@code identity} was stale at {@code nowNanos}. */
  boolean isStale(String identity, long nowNanos) {
    Preferred seen = preferred;
    return seen != null && seen.identity().equals(identity) && seen.departedAt(nowNanos);
  }

  /** The preference last read, if it was stale at {@code nowNanos}; else null. */
  @Nullable Preferred stale(long nowNanos) {
    Preferred seen = preferred;
    return seen != null && seen.departedAt(nowNanos) ? seen : null;
  }

  /**
   * Reads the preferred candidate's LeaseCandidate, on the candidacy's thread.
   *
   * @param mine this candidate's LeaseCandidate as last written, or null
   */
  void check(String identity, @Nullable V1beta1LeaseCandidate mine) {
    Preferred before = preferred;
    if (before != null && before.identity().equals(identity)
        && System.nanoTime() - before.checkedNanos() < FRESH_NANOS) {
      return; // read moments ago
    }
    long now = System.nanoTime();
    V1beta1LeaseCandidate other;
    try {
      other = api.read(identity);
    } catch (KubernetesApiException e) {
      if (e.statusCode() == 404) {
        preferred = new Preferred(identity, null, now, now, "its LeaseCandidate is gone");
      }
      return; // otherwise unknown: judged at the next question
    } catch (LeaseLockException e) {
      return;
    }
    V1beta1LeaseCandidateSpec spec = other.getSpec();
    OffsetDateTime ping = spec == null ? null : spec.getPingTime();
    boolean unanswered = ping != null
        && (spec.getRenewTime() == null || spec.getRenewTime().isBefore(ping));
    String notOutranking = unanswered ? null : notOutranking(mine, other);
    if (notOutranking != null) {
      preferred = new Preferred(identity, null, now, now, notOutranking);
    } else if (!unanswered) {
      preferred = new Preferred(identity, null, Long.MAX_VALUE, now, "");
    } else if (before != null && before.identity().equals(identity)
        && ping.equals(before.ping())) {
      preferred = new Preferred(identity, ping, before.since(), now, before.why());
    } else {
      preferred = new Preferred(identity, ping, now, now, "its LeaseCandidate did not answer "
          + "the API server's ping of " + ping + " within "
          + LeaseCandidacy.PING_TIMEOUT_SECONDS + " s");
    }
  }

  /**
   * Why {@code other} does not outrank {@code mine} by the controller's OldestEmulationVersion
   * rules (older emulation version, then binary version, then an earlier creation second): mine
   * outranks it, so the controller never names it over mine, or they tie, so the controller, which
   * takes the first of the tied in its informer's unordered list, may keep choosing mine; null
   * when {@code other} outranks mine, or when either's versions or creation time are unknown.
   */
  private @Nullable String notOutranking(@Nullable V1beta1LeaseCandidate mine,
      V1beta1LeaseCandidate other) {
    V1beta1LeaseCandidateSpec spec = other.getSpec();
    if (mine == null || spec == null || mine.getMetadata() == null
        || other.getMetadata() == null) {
      return null;
    }
    try {
      int order = SemanticVersion.parse("emulationVersion", emulationVersion).compareTo(
          SemanticVersion.parse("emulationVersion", spec.getEmulationVersion()));
      if (order == 0) {
        order = SemanticVersion.parse("binaryVersion", binaryVersion).compareTo(
            SemanticVersion.parse("binaryVersion", spec.getBinaryVersion()));
      }
      if (order != 0) {
        return order < 0 ? "this candidate outranks it: an older version" : null;
      }
      OffsetDateTime mineCreated = mine.getMetadata().getCreationTimestamp();
      OffsetDateTime otherCreated = other.getMetadata().getCreationTimestamp();
      if (mineCreated == null || otherCreated == null) {
        return null;
      }
      order = mineCreated.truncatedTo(ChronoUnit.SECONDS)
          .compareTo(otherCreated.truncatedTo(ChronoUnit.SECONDS));
      return order < 0 ? "this candidate outranks it: created earlier"
          : order == 0 ? "it ties with this candidate: the same versions, created in the same "
              + "second, and the controller breaks ties at random, every 5 s again" : null;
    } catch (IllegalArgumentException | NullPointerException unparsable) {
      return null;
    }
  }

  /**
   * What was last learned of the preferred candidate: departed from {@code since} plus the ping
   * timeout (gone or outranked: from {@code since}; answering: never).
   */
  record Preferred(String identity, @Nullable OffsetDateTime ping, long since,
      long checkedNanos, String why) {

    boolean departedAt(long nowNanos) {
      if (since == Long.MAX_VALUE) {
        return false;
      }
      return ping == null || nowNanos - since
          >= TimeUnit.SECONDS.toNanos(LeaseCandidacy.PING_TIMEOUT_SECONDS);
    }
  }
}
