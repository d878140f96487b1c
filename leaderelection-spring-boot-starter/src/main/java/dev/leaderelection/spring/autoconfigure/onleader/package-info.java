/**
 * Auto-configuration of the {@code @OnLeader} guard: guarded methods, leader-scoped
 * {@code SmartLifecycle} beans, and the wait for calls in flight when leadership is lost; the
 * {@code @OnShardOwner} guard and its wait for calls in flight when a shard is lost.
 */
@NullMarked
package dev.leaderelection.spring.autoconfigure.onleader;

import org.jspecify.annotations.NullMarked;
