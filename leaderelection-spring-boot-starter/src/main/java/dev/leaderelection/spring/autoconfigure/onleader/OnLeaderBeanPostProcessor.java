package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.spring.OnLeader;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.lang.reflect.Method;
import java.util.Optional;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.context.SmartLifecycle;

/**
 * Applies the {@code @OnLeader} guard to beans annotated on the class or on methods (adding it
 * to existing proxies, of either kind), rejects guarded methods that return a primitive and
 * names of elections that are not configured, and registers leader-scoped lifecycles. Ordered
 * before {@code @Scheduled} processing, so scheduled calls go through the guard.
 */
final class OnLeaderBeanPostProcessor extends GuardingPostProcessor {

  private final LeaderElections elections;
  private final LeaderScopedWork work;

  OnLeaderBeanPostProcessor(LeaderElections elections, LeaderScopedWork work) {
    super(new ComposablePointcut(new AnnotationMatchingPointcut(OnLeader.class, true))
            .union(new AnnotationMatchingPointcut(null, OnLeader.class, true)),
        new OnLeaderInterceptor(elections::elector, work));
    this.elections = elections;
    this.work = work;
  }

  /** A class annotated as a whole that is a lifecycle runs only while leading. */
  @Override
  void guarded(Object processed, Class<?> type) {
    OnLeader onClass = type.getAnnotation(OnLeader.class);
    if (onClass != null && processed instanceof SmartLifecycle lifecycle) {
      work.registerLifecycle(LeaderElections.normalize(onClass.value()), lifecycle);
    }
  }

  @Override
  void validate(Method method, Class<?> type, String beanName) {
    Optional<String> election = OnLeaderInterceptor.electionOf(method, type);
    if (election.isEmpty() || OnLeaderInterceptor.isLifecycleMethod(method, type)) {
      return;
    }
    String described = GuardedMethods.describe("OnLeader", method, beanName);
    GuardedMethods.requireProxyable(method, described);
    elections.requireAny();
    if (!elections.isConfigured(election.get())) {
      throw new BeanInitializationException(described + " follows election '"
          + LeaderElections.normalize(election.get())
          + "', which is not configured; configured elections: " + elections.names()
          + " (the default election needs leader-election.lease-name, named ones "
          + "leader-election.elections.<name>)");
    }
    GuardedMethods.requireSkippableReturn(method, described, "OnLeader",
        "on an instance that does not lead");
  }
}
