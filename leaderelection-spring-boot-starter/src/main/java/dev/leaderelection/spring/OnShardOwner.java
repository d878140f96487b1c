package dev.leaderelection.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method only on the instance that owns, now, the shard of a key in a sharded group
 * ({@code leader-election.groups.<name>}); elsewhere the call is skipped and returns {@code null}
 * (or {@code Optional.empty()}), as {@link OnLeader} does on an instance that does not lead.
 *
 * <pre>{@code
 * @OnShardOwner(group = "tenants", key = "#tenantId")
 * public void bill(String tenantId) { ... }
 * }</pre>
 *
 * <p>The key is a SpEL expression over the method's arguments, as in Spring's cache
 * annotations: {@code #name} (the code is compiled with {@code -parameters}), {@code #p0} or
 * {@code #a0}, and the target as the root object. Its value, as text ({@code String.valueOf}),
 * goes to the group's shard by {@link dev.leaderelection.group.ShardKeys#shardOf}; a key that
 * evaluates to {@code null} fails the call with an {@link IllegalArgumentException}. When the
 * shard is lost, its release waits (at most the renew deadline) for the calls it let in.
 *
 * <p>Works with {@code @Scheduled} methods and with JDK or CGLIB proxies. Methods with a
 * primitive return type other than {@code void}, groups that are not configured and keys that
 * are not valid SpEL are rejected at startup.
 *
 * @since 0.2.0
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnShardOwner {

  /** The group: a name under {@code leader-election.groups}. */
  String group();

  /** A SpEL expression giving the key from the method's arguments, such as {@code #tenantId}. */
  String key();
}
