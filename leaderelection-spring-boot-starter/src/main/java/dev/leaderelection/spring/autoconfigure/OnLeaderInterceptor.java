package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Runs an {@code @OnLeader} method only while this instance leads its election; otherwise returns
 * {@code null} or {@code Optional.empty()} without calling it. Lifecycle methods of leader-scoped
 * beans are not guarded, and {@code isAutoStartup()} answers false: the election starts them.
 */
final class OnLeaderInterceptor implements MethodInterceptor {

  private final Function<String, LeaderElector> electors;
  private final LeaderScopedWork work;
  private final Map<Method, Optional<String>> elections = new ConcurrentHashMap<>();

  /** @param electors finds the elector of an election name ("" is the default election) */
  OnLeaderInterceptor(Function<String, LeaderElector> electors, LeaderScopedWork work) {
    this.electors = electors;
    this.work = work;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
        : method.getDeclaringClass();
    if (isLifecycleMethod(method, targetClass)) {
      return "isAutoStartup".equals(method.getName()) ? Boolean.FALSE : invocation.proceed();
    }
    Optional<String> election = elections.computeIfAbsent(
        AopUtils.getMostSpecificMethod(method, targetClass),
        specific -> electionOf(specific, targetClass));
    if (election.isEmpty()) {
      return invocation.proceed();
    }
    String name = OnLeaderElections.normalize(election.get());
    if (!electors.apply(name).isLeader()) {
      return method.getReturnType() == Optional.class ? Optional.empty() : null;
    }
    LeaderScopedWork.InFlightCalls calls = work.calls(name);
    calls.enter();
    try {
      return invocation.proceed();
    } finally {
      calls.exit();
    }
  }

  /** The election guarding {@code method}: its own annotation, else its class's for public ones. */
  static Optional<String> electionOf(Method method, Class<?> targetClass) {
    OnLeader onMethod = AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class);
    if (onMethod != null) {
      return Optional.of(onMethod.value());
    }
    OnLeader onClass = AnnotatedElementUtils.findMergedAnnotation(targetClass, OnLeader.class);
    boolean guardedByClass = onClass != null && Modifier.isPublic(method.getModifiers())
        && method.getDeclaringClass() != Object.class;
    return guardedByClass ? Optional.of(onClass.value()) : Optional.empty();
  }

  /** Whether {@code method} is one of {@link SmartLifecycle}'s, on a SmartLifecycle bean. */
  static boolean isLifecycleMethod(Method method, Class<?> targetClass) {
    if (!SmartLifecycle.class.isAssignableFrom(targetClass)) {
      return false;
    }
    try {
      SmartLifecycle.class.getMethod(method.getName(), method.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
