package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.LeaderRecordJson;
import dev.leaderelection.spi.LeaderRecord;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Endpoints;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A record in an object's {@code control-plane.alpha.kubernetes.io/leader} annotation, as the
 * JSON of client-go's {@code LeaderElectionRecord}: how client-go's ConfigMap and Endpoints locks
 * store it. An object without the annotation holds a free lease; a malformed annotation is an
 * error and is never overwritten. Other data, labels and annotations of the object are kept.
 */
final class AnnotationCodec<T extends KubernetesObject> implements RecordCodec<T> {

  static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

  private final ObjectReference object;
  private final String kind;
  private final UnaryOperator<T> copy;
  private final Function<V1ObjectMeta, T> fresh;

  private AnnotationCodec(ObjectReference object, String kind, UnaryOperator<T> copy,
      Function<V1ObjectMeta, T> fresh) {
    this.object = object;
    this.kind = kind;
    this.copy = copy;
    this.fresh = fresh;
  }

  /** client-go's ConfigMap lock. */
  static AnnotationCodec<V1ConfigMap> configMap(ObjectReference object) {
    return new AnnotationCodec<>(object, "ConfigMap", ObjectCopies::configMap,
        metadata -> new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(metadata));
  }

  /** client-go's Endpoints lock (the Endpoints API is deprecated since Kubernetes 1.33). */
  static AnnotationCodec<V1Endpoints> endpoints(ObjectReference object) {
    return new AnnotationCodec<>(object, "Endpoints", ObjectCopies::endpoints,
        metadata -> new V1Endpoints().apiVersion("v1").kind("Endpoints").metadata(metadata));
  }

  @Override
  public LeaderRecord decode(T annotated) {
    V1ObjectMeta metadata =
        Objects.requireNonNullElseGet(annotated.getMetadata(), V1ObjectMeta::new);
    Map<String, String> annotations =
        Objects.requireNonNullElse(metadata.getAnnotations(), Map.of());
    String json = annotations.get(LEADER_ANNOTATION);
    int holderPriority = PriorityAnnotations.holderPriority(metadata, object);
    var preferred = PriorityAnnotations.preferredHolder(metadata, object);
    if (json == null || json.isBlank()) {
      return LeaderRecord.builder().holderIdentity("").leaseDuration(Duration.ZERO)
          .holderPriority(holderPriority).preferredHolder(preferred)
          .version(metadata.getResourceVersion()).build();
    }
    try {
      return LeaderRecordJson.read(LeaderRecordJson.parse(json), holderPriority, preferred,
          metadata.getResourceVersion());
    } catch (IllegalArgumentException e) {
      // Our own rules explain themselves; a parser's message (with its advice and line breaks)
      // stays in the cause, out of logs' first line and health details.
      throw new LeaseLockException(kind + " " + object.namespace() + "/" + object.name()
          + " has a malformed " + LEADER_ANNOTATION + " annotation (" + e.getMessage()
          + "); it is not overwritten: fix or delete the annotation", e);
    }
  }

  @Override
  public T encode(LeaderRecord record, @Nullable T base) {
    T written = RecordCodec.writable(record, base, object, copy, fresh);
    V1ObjectMeta metadata = Objects.requireNonNull(written.getMetadata());
    Map<String, String> annotations =
        new HashMap<>(Objects.requireNonNullElse(metadata.getAnnotations(), Map.of()));
    annotations.put(LEADER_ANNOTATION, toJson(record));
    metadata.setAnnotations(annotations);
    return written;
  }

  /**
   * The JSON of client-go's LeaderElectionRecord, in its field order, with fabric8's
   * {@code leaseDuration} besides, so that fabric8's electors on the same object can read it.
   */
  static String toJson(LeaderRecord record) {
    return LeaderRecordJson.write(record, true).toString();
  }
}
