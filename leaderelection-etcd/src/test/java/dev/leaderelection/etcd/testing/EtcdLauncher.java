package dev.leaderelection.etcd.testing;

import dev.leaderelection.testing.GoBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Starts real etcd servers for integration tests, from the binary built from Go modules under
 * {@code .ci/etcd-launcher} ({@code ETCD_LAUNCHER}, or built by {@code .ci/build-etcd-launcher}
 * when Go is installed). Each server lives under {@code java.io.tmpdir} (the module's
 * {@code target/} under Maven) and is removed when closed.
 */
public final class EtcdLauncher {

  private final Path binary;

  private EtcdLauncher(Path binary) {
    this.binary = binary;
  }

  /** The launcher, or empty when neither {@code ETCD_LAUNCHER} nor Go is there; builds it once. */
  public static Optional<EtcdLauncher> find() {
    try {
      return GoBinaries.find("ETCD_LAUNCHER", "build-etcd-launcher").map(EtcdLauncher::new);
    } catch (IOException e) {
      throw new IllegalStateException("Could not build the etcd launcher", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while building the etcd launcher", e);
    }
  }

  /** Starts a plain-text etcd server and waits until it is ready. */
  public EtcdServer start() {
    return start(null);
  }

  /** Starts an etcd server serving TLS with the given files, when not null. */
  public EtcdServer start(EtcdServer.@Nullable Tls tls) {
    return EtcdServer.start(binary, tls);
  }

  /**
   * Starts a plain-text cluster of {@code size} members, each its own process, and waits until
   * every member is ready.
   */
  public EtcdCluster startCluster(int size) {
    return EtcdCluster.start(binary, size);
  }
}
