package dev.leaderelection.spring.it;

import dev.leaderelection.spring.LeadershipEvent;
import dev.leaderelection.spring.OnLeader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** A small web application using the starter the way users do. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableScheduling
public class ElectionTestApplication {

  @Bean
  Sweeper sweeper() {
    return new Sweeper();
  }

  @Bean
  QueueConsumer queueConsumer() {
    return new QueueConsumer();
  }

  @Bean
  EventRecorder eventRecorder() {
    return new EventRecorder();
  }

  /** Leader-only scheduled work. */
  static class Sweeper {

    private final AtomicInteger runs = new AtomicInteger();

    @OnLeader
    @Scheduled(fixedDelay = 50)
    public void sweep() {
      runs.incrementAndGet();
    }

    int runs() {
      return runs.get();
    }
  }

  /** A leader-scoped loop: started on acquiring leadership, stopped on losing it. */
  @OnLeader
  public static class QueueConsumer implements SmartLifecycle {

    private final AtomicInteger starts = new AtomicInteger();
    private volatile boolean running;

    @Override
    public void start() {
      starts.incrementAndGet();
      running = true;
    }

    @Override
    public void stop() {
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    /** How often this consumer was started; not public, so not guarded. */
    int starts() {
      return starts.get();
    }
  }

  /** Every leadership event, in order. */
  static class EventRecorder {

    final List<LeadershipEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(LeadershipEvent event) {
      events.add(event);
    }

    <T extends LeadershipEvent> List<T> of(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
