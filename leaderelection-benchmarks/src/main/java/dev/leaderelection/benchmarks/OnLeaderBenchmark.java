package dev.leaderelection.benchmarks;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cost of an {@code @OnLeader} call on the leader, against the same call without it and
 * through a Spring AOP proxy whose only advice does nothing (what any Spring proxy costs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OnLeaderBenchmark {

  private ConfigurableApplicationContext context;
  private Work guarded;
  private Work plain;
  private Work proxied;

  @Setup(Level.Trial)
  public void startLeading() throws InterruptedException {
    context = new SpringApplicationBuilder(Application.class)
        .web(WebApplicationType.NONE)
        .properties("leader-election.lease-name=benchmark", "leader-election.lock=in-memory",
            "logging.level.root=WARN")
        .run();
    guarded = context.getBean(Work.class);
    plain = new Work();
    ProxyFactory proxyFactory = new ProxyFactory(new Work());
    proxyFactory.setProxyTargetClass(true);
    proxyFactory.addAdvice((MethodInterceptor) MethodInvocation::proceed);
    proxied = (Work) proxyFactory.getProxy();
    LeaderElector elector = context.getBean(LeaderElector.class);
    while (!elector.isLeader()) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    context.close();
  }

  @Benchmark
  public long onLeader() {
    return guarded.next();
  }

  @Benchmark
  public long plain() {
    return plain.next();
  }

  @Benchmark
  public long springProxy() {
    return proxied.next();
  }

  /** A bean whose method is guarded; the same class unproxied is the baseline. */
  public static class Work {

    private long counter;

    @OnLeader
    public Long next() {
      return ++counter;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  public static class Application {

    @Bean
    Work work() {
      return new Work();
    }
  }
}
