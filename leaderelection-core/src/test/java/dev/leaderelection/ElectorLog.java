package dev.leaderelection;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What electors log while a test runs; close it to stop capturing. */
public final class ElectorLog implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger(LeaderElector.class);
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
}
