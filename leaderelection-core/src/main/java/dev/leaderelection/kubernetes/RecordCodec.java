package dev.leaderelection.kubernetes;

import dev.leaderelection.LeaderRecord;
import io.kubernetes.client.common.KubernetesObject;
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
}
