package dev.leaderelection.spring.autoconfigure.onleader;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.spring.OnLeader;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.IdentityHashMap;
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
  private final Map<MethodClassKey, Guard> guards = new ConcurrentHashMap<>();
  /**
   * The guard of each method for the first target class that called it (almost always its only
   * one): an identity map, never changed once published, so the call path needs no hashing of
   * the method and no lock. Replaced (copied) once per method.
   */
  private volatile Map<Method, Guard> firstGuards = new IdentityHashMap<>();

  /** @param electors finds the elector of an election name ("" is the default election) */
  OnLeaderInterceptor(Function<String, LeaderElector> electors, LeaderScopedWork work) {
    this.electors = electors;
    this.work = work;
  }

  /**
   * What calls of one method on one class of target need, resolved on the first call: whether
   * they are guarded, by which election's elector, and where calls in flight are counted. The
   * call path reads only final fields: a guarded call costs a class comparison, the count of
   * calls in flight and the elector's exact renew-deadline check.
   */
  private static final class Guard {

    private final @Nullable Class<?> targetRuntimeClass;
    private final Optional<String> election;
    private final boolean lifecycle;
    private final @Nullable LeaderElector elector;
    private final LeaderScopedWork.@Nullable InFlightCalls calls;
    private final @Nullable Object skipped;

    Guard(@Nullable Class<?> targetRuntimeClass, Optional<String> election, boolean lifecycle,
        @Nullable LeaderElector elector, LeaderScopedWork.@Nullable InFlightCalls calls,
        @Nullable Object skipped) {
      this.targetRuntimeClass = targetRuntimeClass;
      this.election = election;
      this.lifecycle = lifecycle;
      this.elector = elector;
      this.calls = calls;
      this.skipped = skipped;
    }

    boolean appliesTo(@Nullable Object target) {
      return (target != null ? target.getClass() : null) == targetRuntimeClass;
    }
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Guard guard = firstGuards.get(invocation.getMethod());
    if (guard == null || !guard.appliesTo(target)) {
      guard = guard(invocation.getMethod(), target);
    }
    LeaderElector elector = guard.elector;
    LeaderScopedWork.InFlightCalls calls = guard.calls;
    if (elector != null && calls != null) {
      // Counted before the check, so a loss of leadership waits for this call if it proceeds.
      calls.enter();
      try {
        return elector.isLeader() ? invocation.proceed() : guard.skipped;
      } finally {
        calls.exit();
      }
    }
    return guard.lifecycle ? lifecycle(invocation, guard.election) : invocation.proceed();
  }

  private Guard guard(Method method, @Nullable Object target) {
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
        : method.getDeclaringClass();
    MethodClassKey key = new MethodClassKey(method, targetClass);
    Guard guard = guards.get(key);
    if (guard == null) { // resolved outside the map: finding an elector may create beans
      guard = resolve(method, targetClass, target != null ? target.getClass() : null);
      Guard raced = guards.putIfAbsent(key, guard);
      guard = raced != null ? raced : guard;
    }
    synchronized (guards) {
      if (!firstGuards.containsKey(method)) {
        Map<Method, Guard> published = new IdentityHashMap<>(firstGuards);
        published.put(method, guard);
        firstGuards = published;
      }
    }
    return guard;
  }

  private Guard resolve(Method method, Class<?> targetClass,
      @Nullable Class<?> targetRuntimeClass) {
    Optional<String> election =
        electionOf(AopUtils.getMostSpecificMethod(method, targetClass), targetClass);
    boolean lifecycle = isLifecycleMethod(method, targetClass);
    if (election.isEmpty() || lifecycle) {
      return new Guard(targetRuntimeClass, election, lifecycle, null, null, null);
    }
    String name = LeaderElections.normalize(election.get());
    return new Guard(targetRuntimeClass, election, false, electors.apply(name), work.calls(name),
        GuardedMethods.skipped(method));
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
