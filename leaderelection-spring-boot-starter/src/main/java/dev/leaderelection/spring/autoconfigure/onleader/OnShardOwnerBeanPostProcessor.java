package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.lang.reflect.Method;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Applies the {@code @OnShardOwner} guard to beans with annotated methods (adding it to existing
 * proxies, of either kind), and rejects, as {@code @OnLeader}'s processor does, guarded methods
 * no proxy can intercept or that return a primitive, and also groups that are not configured and
 * keys that are not SpEL. Ordered before {@code @Scheduled} processing.
 */
final class OnShardOwnerBeanPostProcessor extends GuardingPostProcessor {

  private static final String ANNOTATION = "OnShardOwner";

  private final LeaderElections elections;
  private final SpelExpressionParser parser = new SpelExpressionParser();

  OnShardOwnerBeanPostProcessor(LeaderElections elections, ShardScopedWork work) {
    super(new AnnotationMatchingPointcut(null, OnShardOwner.class, true),
        new OnShardOwnerInterceptor(elections, work));
    this.elections = elections;
  }

  @Override
  void validate(Method method, Class<?> type, String beanName) {
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
  }
}
