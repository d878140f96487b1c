package dev.leaderelection;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What electors log while a test runs: register it as an extension (it stops capturing after
 * each test) or close it.
 */
public final class ElectorLog implements AutoCloseable, AfterEachCallback {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.leaderelection");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private ElectorLog() {
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts capturing. */
  public static ElectorLog capture() {
    return new ElectorLog();
  }

  /** The messages logged at {@code level} so far, formatted. */
  public List<String> at(Level level) {
    return appender.list.stream().filter(event -> event.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }
}
