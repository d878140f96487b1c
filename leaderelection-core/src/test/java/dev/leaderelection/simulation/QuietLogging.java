package dev.leaderelection.simulation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the election's logging off while simulations run (it logs every transition, millions of
 * them), and restores the level it had when closed.
 */
final class QuietLogging implements AutoCloseable {

  private final Logger logger;
  private final Level before;

  QuietLogging() {
    this.logger = (Logger) LoggerFactory.getLogger("dev.leaderelection");
    this.before = logger.getLevel();
    logger.setLevel(Level.OFF);
  }

  @Override
  public void close() {
    logger.setLevel(before);
  }
}
