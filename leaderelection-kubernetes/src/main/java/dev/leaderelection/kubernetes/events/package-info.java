/**
 * Kubernetes Events at each transition of an election, as client-go records them. API:
 * {@link dev.leaderelection.kubernetes.events.TransitionEvents}, the listener
 * {@link dev.leaderelection.kubernetes.KubernetesLocks#events} makes. Internal:
 * {@code EventSender} (public only so that each {@code KubernetesLocks} can own one) and
 * {@code EventBudget}.
 */
@NullMarked
package dev.leaderelection.kubernetes.events;

import org.jspecify.annotations.NullMarked;
