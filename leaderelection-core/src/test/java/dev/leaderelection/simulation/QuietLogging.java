package dev.leaderelection.simulation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
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

  /** Quiet for the whole test class: {@code @ExtendWith(QuietLogging.ForClass.class)}. */
  static final class ForClass implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(QuietLogging.class);

    @Override
    public void beforeAll(ExtensionContext context) {
      context.getStore(NAMESPACE).put(QuietLogging.class, new QuietLogging());
    }

    @Override
    public void afterAll(ExtensionContext context) {
      context.getStore(NAMESPACE).remove(QuietLogging.class, QuietLogging.class).close();
    }
  }
}
