package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
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
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Runs an {@code @OnLeader} method only while this instance leads its election; otherwise returns
 * {@code null} or {@code Optional.empty()} without calling it. Lifecycle methods of leader-scoped
 * beans are not guarded, and {@code isAutoStartup()} answers false: the election starts them.
 */
final class OnLeaderInterceptor implements MethodInterceptor {

  private final Function<String, LeaderElector> electors;
  private final LeaderScopedWork work;
  private final Map<Method, Guard> guardsByMethod = new ConcurrentHashMap<>();
  private final Map<MethodClassKey, Guard> guards = new ConcurrentHashMap<>();

  /** @param electors finds the elector of an election name ("" is the default election) */
  OnLeaderInterceptor(Function<String, LeaderElector> electors, LeaderScopedWork work) {
    this.electors = electors;
    this.work = work;
  }

  /**
   * What calls of one method on one class need, resolved on the first call: whether they are
   * guarded, by which election's elector, and where calls in flight are counted.
   */
  private record Guard(Class<?> targetClass, Optional<String> election, boolean lifecycle,
      @Nullable LeaderElector elector, LeaderScopedWork.@Nullable InFlightCalls calls,
      boolean returnsOptional) {
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
        : method.getDeclaringClass();
    Guard guard = guardsByMethod.get(method);
    if (guard == null || guard.targetClass() != targetClass) {
      MethodClassKey key = new MethodClassKey(method, targetClass);
      guard = guards.get(key);
      if (guard == null) {
        guard = resolve(method, targetClass);
        guards.putIfAbsent(key, guard);
      }
      guardsByMethod.putIfAbsent(method, guard);
    }
    if (guard.lifecycle()) {
      return lifecycle(invocation, guard.election());
    }
    if (guard.elector() == null || guard.calls() == null) {
      return invocation.proceed();
    }
    // Counted before the check, so a loss of leadership waits for this call if it proceeds.
    guard.calls().enter();
    try {
      if (!guard.elector().isLeader()) {
        return guard.returnsOptional() ? Optional.empty() : null;
      }
      return invocation.proceed();
    } finally {
      guard.calls().exit();
    }
  }

  private Guard resolve(Method method, Class<?> targetClass) {
    Optional<String> election =
        electionOf(AopUtils.getMostSpecificMethod(method, targetClass), targetClass);
    boolean lifecycle = isLifecycleMethod(method, targetClass);
    if (election.isEmpty() || lifecycle) {
      return new Guard(targetClass, election, lifecycle, null, null, false);
    }
    String name = LeaderElections.normalize(election.get());
    return new Guard(targetClass, election, false, electors.apply(name), work.calls(name),
        method.getReturnType() == Optional.class);
  }

  /**
   * Leader-scoped lifecycle beans: never started by the context ({@code isAutoStartup} is
   * false), and started only while this instance leads, even by an explicit context start.
   */
  private @Nullable Object lifecycle(MethodInvocation invocation, Optional<String> election)
      throws Throwable {
    String name = invocation.getMethod().getName();
    if ("isAutoStartup".equals(name)) {
      return Boolean.FALSE;
    }
    if ("start".equals(name) && election.isPresent()
        && !electors.apply(LeaderElections.normalize(election.get())).isLeader()) {
      return null;
    }
    return invocation.proceed();
  }

  /** The election guarding {@code method}: its own annotation, else its class's for public ones. */
  static Optional<String> electionOf(Method method, Class<?> targetClass) {
    OnLeader onMethod = AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class);
    if (onMethod != null) {
      return Optional.of(onMethod.value());
    }
    OnLeader onClass = AnnotatedElementUtils.findMergedAnnotation(targetClass, OnLeader.class);
    boolean guardedByClass = onClass != null && Modifier.isPublic(method.getModifiers())
        && method.getDeclaringClass() != Object.class && !ReflectionUtils.isEqualsMethod(method)
        && !ReflectionUtils.isHashCodeMethod(method) && !ReflectionUtils.isToStringMethod(method);
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
