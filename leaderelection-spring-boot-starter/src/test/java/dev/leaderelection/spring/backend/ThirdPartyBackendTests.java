package dev.leaderelection.spring.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

/**
 * A backend the starter has never heard of plugs in as a third party's would: an
 * auto-configuration of its own defines a {@link LeaseLockFactory}, and nothing in the starter
 * names it. This test's package sees only the starter's public API.
 */
class ThirdPartyBackendTests {

  private final ApplicationContextRunner runner = StarterContexts.bare()
      .withConfiguration(AutoConfigurations.of(RowLockAutoConfiguration.class))
      .withPropertyValues("leader-election.lease-name=reports",
          "leader-election.release-on-shutdown=false");

  @Test
  void lockNamingTheBackendShouldHoldTheElectionOnIt() {
    runner.withPropertyValues("leader-election.lock=rows", "leader-election.renew-deadline=8s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          RowLocks rows = context.getBean(RowLocks.class);
          assertThat(context.getBean(LeaderElector.class).lock().reference())
              .isEqualTo(new LockReference("Row", null, "reports"));
          assertThat(rows.requests).singleElement().satisfies(request -> {
            assertThat(request.election()).isEqualTo("default");
            assertThat(request.leaseName()).isEqualTo("reports");
            assertThat(request.timings().renewDeadline()).isEqualTo(Duration.ofSeconds(8));
            assertThat(request.lockProperty()).isEqualTo("leader-election.lock");
          });
        });
  }

  @Test
  void namedElectionShouldChooseTheBackendByItsOwnLockProperty() {
    runner.withPropertyValues("leader-election.lock=in-memory",
            "leader-election.elections.billing.lock=rows")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(RowLocks.class).requests).singleElement().satisfies(
              request -> {
                assertThat(request.election()).isEqualTo("billing");
                assertThat(request.lockProperty())
                    .isEqualTo("leader-election.elections.billing.lock");
              });
          assertThat(context.getBean(LeaderElector.class).lock().reference().kind())
              .isNotEqualTo("Row");
        });
  }

  @Test
  void autoShouldChooseTheFirstConfiguredBackendInOrder() {
    runner.withPropertyValues("rows.configured=true").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(LeaderElector.class).lock().reference().kind())
          .isEqualTo("Row");
    });
  }

  @Test
  void autoShouldPassByABackendThatIsNotConfigured() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(RowLocks.class).requests).isEmpty();
      assertThat(context.getBean(LeaderElector.class).lock()).isInstanceOf(InMemoryLeaseLock.class);
    });
  }

  @Test
  void misspelledBackendShouldFailListingTheBackendsPresent() {
    runner.withPropertyValues("leader-election.lock=row").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage(
          "leader-election.lock is 'row' but names no backend present; the backends here are "
              + "rows, lease, configmap, etcd, in-memory (and auto)");
    });
  }

  /** The third party's auto-configuration: all it takes to add a backend. */
  @AutoConfiguration
  static class RowLockAutoConfiguration {

    @Bean
    RowLocks rowLocks(org.springframework.core.env.Environment environment) {
      return new RowLocks(environment.getProperty("rows.configured", Boolean.class, false));
    }
  }

  /** A backend that holds elections in rows, here in memory; first in order, before Leases. */
  static final class RowLocks implements LeaseLockFactory {

    final List<LockRequest> requests = new CopyOnWriteArrayList<>();
    private final boolean configured;

    RowLocks(boolean configured) {
      this.configured = configured;
    }

    @Override
    public String name() {
      return "rows";
    }

    @Override
    public boolean isConfigured() {
      return configured;
    }

    @Override
    public int getOrder() {
      return 50;
    }

    @Override
    public LeaseLock create(LockRequest request) {
      requests.add(request);
      return new ForwardingLeaseLock(new InMemoryLeaseLock(request.leaseName())) {
        @Override
        public LockReference reference() {
          return new LockReference("Row", null, request.leaseName());
        }
      };
    }
  }
}
