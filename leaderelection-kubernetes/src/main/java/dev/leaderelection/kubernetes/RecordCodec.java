package dev.leaderelection.kubernetes;

import dev.leaderelection.spi.LeaderRecord;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** How one kind of Kubernetes object stores a {@link LeaderRecord}. */
interface RecordCodec<T extends KubernetesObject> {

  /**
   * Reads the record, with the object's resourceVersion as its version.
   *
   * @throws dev.leaderelection.LeaseLockException when the object holds a malformed record
   */
  LeaderRecord decode(T object);

  /**
   * Writes the record into a copy of {@code base} (the object the record's version was read
   * from, so that fields this library does not own are kept), or into a new object when
   * {@code base} is null.
   */
  T encode(LeaderRecord record, @Nullable T base);

  /**
   * The object to write {@code record} into: a {@code copy} of {@code base} (see
   * {@link ObjectCopies}), so that fields this library does not own are kept, or a new object
   * made by {@code fresh} from the metadata that names {@code object}; with the record's version
   * (which makes the replace conditional) and priority annotations already set.
   */
  static <T extends KubernetesObject> T writable(LeaderRecord record, @Nullable T base,
      ObjectReference object, UnaryOperator<T> copy, Function<V1ObjectMeta, T> fresh) {
    T written = base != null ? copy.apply(base)
        : fresh.apply(new V1ObjectMeta().namespace(object.namespace()).name(object.name()));
    V1ObjectMeta metadata = Objects.requireNonNull(written.getMetadata());
    metadata.setResourceVersion(record.version());
    PriorityAnnotations.write(metadata, record);
    return written;
  }
}
