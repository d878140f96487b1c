/**
 * Locks that hold an election in a Kubernetes API server: a {@code coordination.k8s.io/v1} Lease
 * (recommended) or a ConfigMap annotated as client-go does. Both are readable by client-go and
 * kubectl, and both carry preemption priorities in {@code leaderelection.dev/*} annotations.
 *
 * <p>API: {@link dev.leaderelection.kubernetes.KubernetesLocks},
 * {@link dev.leaderelection.kubernetes.KubernetesApiException} and
 * {@link dev.leaderelection.kubernetes.KubernetesNames}. {@code ApiCalls}, {@code ObjectApi} and
 * {@code ObjectReference} are internal, public only for the sub-packages {@code watch} (the
 * shared watches, internal), {@code events} (Kubernetes Events) and {@code coordinated}
 * (coordinated leader election); so is {@code RenewAttempts}, for {@code members} and
 * {@code coordinated}.
 */
@NullMarked
package dev.leaderelection.kubernetes;

import org.jspecify.annotations.NullMarked;
