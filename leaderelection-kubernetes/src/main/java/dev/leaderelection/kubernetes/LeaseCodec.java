package dev.leaderelection.kubernetes;

import dev.leaderelection.internal.Rfc3339;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A record in a {@code coordination.k8s.io/v1} Lease, field for field as client-go writes it. */
final class LeaseCodec implements RecordCodec<V1Lease> {

  private final ObjectReference object;

  LeaseCodec(ObjectReference object) {
    this.object = object;
  }

  @Override
  public LeaderRecord decode(V1Lease lease) {
    V1ObjectMeta metadata = Objects.requireNonNullElseGet(lease.getMetadata(), V1ObjectMeta::new);
    V1LeaseSpec spec = Objects.requireNonNullElseGet(lease.getSpec(), V1LeaseSpec::new);
    return LeaderRecord.builder()
        .holderIdentity(Objects.requireNonNullElse(spec.getHolderIdentity(), ""))
        .leaseDuration(
            Duration.ofSeconds(Objects.requireNonNullElse(spec.getLeaseDurationSeconds(), 0)))
        .acquireTime(Rfc3339.toInstant(spec.getAcquireTime()))
        .renewTime(Rfc3339.toInstant(spec.getRenewTime()))
        .leaseTransitions(Objects.requireNonNullElse(spec.getLeaseTransitions(), 0))
        .holderPriority(PriorityAnnotations.holderPriority(metadata, object))
        .preferredHolder(preferredHolder(metadata, spec))
        .version(metadata.getResourceVersion())
        .build();
  }

  /**
   * This library's preferred holder (an annotation), else the one the API server's coordinated
   * leader election controller sets in {@code spec.preferredHolder}, with priority 0: only
   * coordinated electors defer to it.
   */
  private @Nullable PreferredHolder preferredHolder(V1ObjectMeta metadata, V1LeaseSpec spec) {
    PreferredHolder annotated = PriorityAnnotations.preferredHolder(metadata, object);
    String coordinated = spec.getPreferredHolder();
    return annotated != null || coordinated == null || coordinated.isEmpty() ? annotated
        : new PreferredHolder(coordinated, 0);
  }

  @Override
  public V1Lease encode(LeaderRecord record, @Nullable V1Lease base) {
    V1Lease lease = RecordCodec.writable(record, base, object, ObjectCopies::lease,
        metadata -> new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
            .metadata(metadata));
    V1LeaseSpec spec = Objects.requireNonNullElseGet(lease.getSpec(), V1LeaseSpec::new);
    lease.setSpec(spec
        .holderIdentity(record.holderIdentity())
        .leaseDurationSeconds(Math.toIntExact(record.leaseDuration().toSeconds()))
        .acquireTime(Rfc3339.toUtc(record.acquireTime()))
        .renewTime(Rfc3339.toUtc(record.renewTime()))
        .leaseTransitions(record.leaseTransitions()));
    return lease;
  }
}
