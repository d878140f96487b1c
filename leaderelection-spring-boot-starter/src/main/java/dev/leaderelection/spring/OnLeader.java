package dev.leaderelection.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method only while this instance leads the election; elsewhere the call is skipped and
 * returns {@code null} (or {@code Optional.empty()}).
 *
 * <p>On a class, applies to every public method. Works with {@code @Scheduled} methods and with
 * JDK or CGLIB proxies. Methods with a primitive return type other than {@code void}, and names
 * of elections that are not configured, are rejected at startup.
 *
 * <p>On a {@link org.springframework.context.SmartLifecycle} bean, makes the bean leader-scoped:
 * it is started when leadership is acquired and stopped when it is lost, instead of with the
 * application context. Leadership is released only after such beans have stopped.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnLeader {

  /** The election to follow: a name under {@code leader-election.elections}, or empty for the
   * default election. */
  String value() default "";
}
