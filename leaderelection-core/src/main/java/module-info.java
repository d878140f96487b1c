/**
 * The leader elector and its lock SPI. Exports {@code dev.leaderelection} and
 * {@code dev.leaderelection.group} (for applications) and {@code dev.leaderelection.spi} (for lock
 * and membership authors); {@code dev.leaderelection.internal} only to
 * the library's own modules. The election's internals,
 * {@code dev.leaderelection.internal.election}, are exported to no module.
 */
module dev.leaderelection.core {
  requires transitive org.slf4j;
  requires static org.jspecify;
  requires com.google.gson;

  exports dev.leaderelection;
  exports dev.leaderelection.group;
  exports dev.leaderelection.spi;
  exports dev.leaderelection.internal to dev.leaderelection.kubernetes, dev.leaderelection.etcd,
      dev.leaderelection.spring;
}
