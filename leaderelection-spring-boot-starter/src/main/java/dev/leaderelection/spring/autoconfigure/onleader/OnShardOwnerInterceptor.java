package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * Runs an {@code @OnShardOwner} method only while this instance owns the shard of the call's
 * key; otherwise returns {@code null} or {@code Optional.empty()} without calling it. Each call
 * evaluates the key (a SpEL expression over the arguments), and is counted in flight on its
 * shard before the check, as {@code @OnLeader} calls are on their election.
 */
final class OnShardOwnerInterceptor implements MethodInterceptor {

  private final LeaderElections elections;
  private final ShardScopedWork work;
  private final SpelExpressionParser parser = new SpelExpressionParser();
  private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
  private final Map<Method, Guard> guards = new ConcurrentHashMap<>();

  OnShardOwnerInterceptor(LeaderElections elections, ShardScopedWork work) {
    this.elections = elections;
    this.work = work;
  }

  /** What calls of one method need: its annotated form, group, key and skipped value. */
  private record Guard(Method method, OnShardOwner annotation, ShardGroup group, Expression key,
      @Nullable Object skipped) {
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Guard guard = guards.get(invocation.getMethod());
    if (guard == null) { // resolved outside the map: finding the group may create beans
      guard = resolve(invocation.getMethod(), target);
      guards.putIfAbsent(invocation.getMethod(), guard);
    }
    Object key = guard.key().getValue(new MethodBasedEvaluationContext(target, guard.method(),
        invocation.getArguments(), parameterNames));
    if (key == null) {
      throw new IllegalArgumentException("The key " + guard.annotation().key()
          + " of @OnShardOwner method " + guard.method().getDeclaringClass().getSimpleName()
          + "." + guard.method().getName() + "() is null for this call; a key must have a value "
          + "to go to a shard of group '" + guard.annotation().group() + "'");
    }
    int shard = guard.group().shardOf(String.valueOf(key));
    LeaderScopedWork.InFlightCalls calls = work.calls(guard.group().name(), shard);
    // Counted before the check, so a loss of the shard waits for this call if it proceeds.
    calls.enter();
    try {
      return guard.group().owns(shard) ? invocation.proceed() : guard.skipped();
    } finally {
      calls.exit();
    }
  }

  private Guard resolve(Method method, @Nullable Object target) {
    Class<?> targetClass = target != null ? ClassUtils.getUserClass(AopUtils.getTargetClass(
        target)) : method.getDeclaringClass();
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    OnShardOwner annotation = annotationOf(specific);
    if (annotation == null) {
      throw new IllegalStateException("No @OnShardOwner on " + specific);
    }
    return new Guard(specific, annotation, elections.group(annotation.group()),
        parser.parseExpression(annotation.key()), GuardedMethods.skipped(method));
  }

  static @Nullable OnShardOwner annotationOf(Method method) {
    return AnnotatedElementUtils.findMergedAnnotation(method, OnShardOwner.class);
  }
}
