package dev.leaderelection.sample;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Leader-only scheduled work: publishes a report, appending it to the report log if set. */
@Component
public class ReportPublisher {

  private static final Logger log = LoggerFactory.getLogger(ReportPublisher.class);

  private final LeaderElector elector;
  private final SampleProperties properties;
  private final Clock clock;
  private final AtomicLong published = new AtomicLong();

  ReportPublisher(LeaderElector elector, SampleProperties properties) {
    this.elector = elector;
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  @OnLeader
  @Scheduled(fixedDelayString = "${sample.report-interval:5s}")
  public void publish() {
    // This instance's own term (the record may already show another instance's newer one);
    // empty when the term ended after the guard let this call in: then nothing is published.
    Optional<LeaderContext> term = elector.currentTerm();
    if (term.isEmpty()) {
      return;
    }
    long number = published.incrementAndGet();
    long token = term.get().fencingToken();
    String line = clock.millis() + " " + elector.identity() + " " + token + " " + number;
    if (properties.reportLog() != null) {
      try {
        Files.writeString(properties.reportLog(), line + System.lineSeparator(),
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    log.debug("Published report {} (fencing token {})", number, token);
  }

  /** How many reports this instance published. */
  public long published() {
    return published.get();
  }
}
