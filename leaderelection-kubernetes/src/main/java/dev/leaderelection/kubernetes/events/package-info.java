/**
 * Kubernetes Events at each transition of an election, as client-go records them, and at each
 * move of a sharded group's shard. API:
 * {@link dev.leaderelection.kubernetes.events.TransitionEvents}, the listener
 * {@link dev.leaderelection.kubernetes.KubernetesLocks#events} makes, and
 * {@link dev.leaderelection.kubernetes.events.ShardTransitionEvents}, the group's listener
 * {@link dev.leaderelection.kubernetes.KubernetesLocks#shardEvents} makes. Internal:
 * {@code EventSender} (public only so that each {@code KubernetesLocks} can own one),
 * {@code EventBudget} and {@code EventFailures}.
 */
@NullMarked
package dev.leaderelection.kubernetes.events;

import org.jspecify.annotations.NullMarked;
