package dev.leaderelection.spring.autoconfigure.onleader;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanInitializationException;

/**
 * The rules every guarded method keeps, {@code @OnLeader}'s and {@code @OnShardOwner}'s alike: a
 * proxy must be able to intercept it, and a skipped call must have something to return.
 */
final class GuardedMethods {

  private GuardedMethods() {
  }

  /** Names a guarded method in messages: {@code @OnLeader method Type.name() of bean 'b'}. */
  static String describe(String annotation, Method method, String beanName) {
    return "@" + annotation + " method " + method.getDeclaringClass().getSimpleName() + "."
        + method.getName() + "() of bean '" + beanName + "'";
  }

  /** @throws BeanInitializationException when no proxy can intercept {@code method} */
  static void requireProxyable(Method method, String described) {
    int modifiers = method.getModifiers();
    if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers)
        || Modifier.isFinal(modifiers)) {
      throw new BeanInitializationException(described + " is private, "
          + "static or final, so no proxy can guard it; make it a public instance method");
    }
  }

  /**
   * @param skippedWhere where the call is skipped, such as "on an instance that does not lead"
   * @throws BeanInitializationException when {@code method} returns a primitive other than void
   */
  static void requireSkippableReturn(Method method, String described, String annotation,
      String skippedWhere) {
    Class<?> returned = method.getReturnType();
    if (returned.isPrimitive() && returned != void.class) {
      throw new BeanInitializationException(described + " returns " + returned + ", but @"
          + annotation + " methods must return void, an object or an Optional: " + skippedWhere
          + " the call is skipped and returns null or Optional.empty()");
    }
  }

  /** What a skipped call of {@code method} returns: {@code Optional.empty()} or null. */
  static @Nullable Object skipped(Method method) {
    return method.getReturnType() == Optional.class ? Optional.empty() : null;
  }
}
