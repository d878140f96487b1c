/**
 * Locks that hold an election in a Kubernetes API server: a {@code coordination.k8s.io/v1} Lease
 * (recommended) or a ConfigMap annotated as client-go does. Both are readable by client-go and
 * kubectl, and both carry preemption priorities in {@code leaderelection.dev/*} annotations.
 */
@NullMarked
package dev.leaderelection.kubernetes;

import org.jspecify.annotations.NullMarked;
