package dev.leaderelection.chaos;

import dev.leaderelection.spi.LeaseLock;
import java.io.IOException;
import java.util.Optional;
import java.util.Random;

/**
 * The server a chaos run elects on, which the harness restarts under the candidates and reads
 * and writes directly (not through their fault proxies). Not thread-safe: the runner drives it.
 */
interface ElectionStore extends AutoCloseable {

  /** The port the candidates' proxies forward to; the same across restarts. */
  int port();

  /**
   * The port the proxy of the candidate in {@code slot} forwards to: {@link #port()}, unless the
   * store spreads candidates over several servers.
   */
  default int portFor(String slot) {
    return port();
  }

  /**
   * Injects a fault of a kind only this store knows (such as one API server of several cut from
   * etcd) at the server of {@code slot}'s candidate; returns what clears it, or empty when the
   * store does not know {@code kind}.
   */
  default Optional<Runnable> inject(String kind, String slot, Random random) throws Exception {
    return Optional.empty();
  }

  /** What a candidate behind the proxy on {@code proxyPort} is told to connect to. */
  String serverFor(int proxyPort) throws IOException;

  /** Where the election's record lives, as a candidate is told (a namespace, or "-"). */
  String scope();

  /** The election's lock, straight to the server: to watch renewals and to write as a human. */
  LeaseLock adminLock();

  /**
   * The lock of the election {@code name} (such as a shard's), straight to the server; the store
   * closes it.
   */
  default LeaseLock adminLock(String name) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has only the "
        + "election's own lock");
  }

  /** Stops the server as a crash or an operator would, and starts it on the same data and port. */
  void restart() throws Exception;

  @Override
  void close();
}
