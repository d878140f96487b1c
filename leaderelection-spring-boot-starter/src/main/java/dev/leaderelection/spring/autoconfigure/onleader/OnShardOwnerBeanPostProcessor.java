package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.core.Ordered;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Applies the {@code @OnShardOwner} guard to beans with annotated methods (adding it to existing
 * proxies, of either kind), and rejects, as {@code @OnLeader}'s processor does, guarded methods
 * no proxy can intercept or that return a primitive, and also groups that are not configured and
 * keys that are not SpEL. Ordered before {@code @Scheduled} processing.
 */
final class OnShardOwnerBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

  private static final String ANNOTATION = "OnShardOwner";

  private final LeaderElections elections;

  OnShardOwnerBeanPostProcessor(LeaderElections elections, ShardScopedWork work) {
    this.elections = elections;
    this.advisor = new DefaultPointcutAdvisor(
        new AnnotationMatchingPointcut(null, OnShardOwner.class, true),
        new OnShardOwnerInterceptor(elections, work));
    setBeforeExistingAdvisors(true);
    setOrder(Ordered.LOWEST_PRECEDENCE - 1);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
    if (!isEligible(type)) {
      return bean;
    }
    Object processed = super.postProcessAfterInitialization(bean, beanName);
    validate(type, beanName);
    return processed;
  }

  private void validate(Class<?> type, String beanName) {
    SpelExpressionParser parser = new SpelExpressionParser();
    ReflectionUtils.doWithMethods(type, method -> {
      OnShardOwner guard = OnShardOwnerInterceptor.annotationOf(method);
      if (guard == null) {
        return;
      }
      String described = GuardedMethods.describe(ANNOTATION, method, beanName);
      GuardedMethods.requireProxyable(method, described);
      if (!elections.groups().contains(guard.group())) {
        throw new BeanInitializationException(described + " follows group '" + guard.group()
            + "', which is not configured; configured groups: " + elections.groups()
            + " (set leader-election.groups." + guard.group() + ".shards)");
      }
      try {
        parser.parseExpression(guard.key());
      } catch (ParseException | IllegalStateException e) {
        throw new BeanInitializationException(described + " has the key '" + guard.key()
            + "', which is not a SpEL expression (" + e.getMessage() + "); write one over the "
            + "method's arguments, such as #tenantId or #p0", e);
      }
      GuardedMethods.requireSkippableReturn(method, described, ANNOTATION,
          "on an instance that does not own the key's shard");
    }, method -> !method.isBridge() && !method.isSynthetic()
        && method.getDeclaringClass() != Object.class);
  }
}
