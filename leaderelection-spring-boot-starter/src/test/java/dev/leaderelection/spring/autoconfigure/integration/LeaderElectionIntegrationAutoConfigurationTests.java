package dev.leaderelection.spring.autoconfigure.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.annotation.InboundChannelAdapter;
import org.springframework.integration.annotation.Poller;
import org.springframework.integration.annotation.Role;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessageSource;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.integration.support.SmartLifecycleRoleController;

/**
 * A real Spring Integration flow: a polling inbound adapter in the role {@code default} runs on
 * the leader only, started and stopped by Spring Integration's own role controller.
 */
class LeaderElectionIntegrationAutoConfigurationTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AbstractLeaderEvent> events = new CopyOnWriteArrayList<>();
  private final ApplicationContextRunner runner = StarterContexts.runner()
      .withPropertyValues("leader-election.retry-period=200ms",
          "leader-election.renew-deadline=1s", "leader-election.lease-duration=2s")
      .withBean("roleEvents", ApplicationListener.class,
          () -> (ApplicationListener<AbstractLeaderEvent>) events::add);

  @Test
  void roleEndpointsShouldRunOnTheLeaderOnly() {
    runner.withUserConfiguration(Flow.class).run(context -> {
      assertThat(context).hasNotFailed();
      LeaderElector elector = context.getBean(LeaderElector.class);
      SmartLifecycleRoleController roles = context.getBean(SmartLifecycleRoleController.class);
      QueueChannel out = context.getBean("out", QueueChannel.class);
      await().atMost(WAIT).until(() -> roles.allEndpointsRunning("default"));
      assertThat(out.receive(WAIT.toMillis())).as("the leader polls").isNotNull();
      assertThat(events).singleElement().isInstanceOf(OnGrantedEvent.class)
          .satisfies(granted -> {
            assertThat(granted.getRole()).isEqualTo("default");
            assertThat(granted.getContext().isLeader()).isTrue();
            assertThat(granted.getContext().getRole()).isEqualTo("default");
          });

      elector.pause().toCompletableFuture().get();

      await().atMost(WAIT).until(() -> roles.noEndpointsRunning("default"));
      out.clear();
      assertThat(out.receive(300)).as("a follower does not poll").isNull();
      assertThat(events.get(1)).isInstanceOf(OnRevokedEvent.class);
    });
  }

  @Test
  void yieldFromTheRoleContextShouldGiveLeadershipUp() {
    runner.withUserConfiguration(Flow.class).run(context -> {
      LeaderElector elector = context.getBean(LeaderElector.class);
      await().atMost(WAIT).until(() -> !events.isEmpty());

      events.get(0).getContext().yield();

      await().atMost(WAIT).until(() -> events.size() == 2);
      assertThat(events.get(1)).isInstanceOf(OnRevokedEvent.class);
      assertThat(elector.isLeader()).isFalse();
    });
  }

  @Test
  void withoutSpringIntegrationNoRoleEventsShouldBePublished() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.integration"))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("leaderElectionIntegrationRoles"));
  }

  @Configuration(proxyBeanMethods = false)
  @EnableIntegration
  static class Flow {

    private final AtomicLong polls = new AtomicLong();

    @Bean
    QueueChannel out() {
      return new QueueChannel();
    }

    @Bean
    @Role("default")
    @InboundChannelAdapter(channel = "out", poller = @Poller(fixedDelay = "50"))
    MessageSource<Long> ticks() {
      return () -> MessageBuilder.withPayload(polls.incrementAndGet()).build();
    }
  }
}
