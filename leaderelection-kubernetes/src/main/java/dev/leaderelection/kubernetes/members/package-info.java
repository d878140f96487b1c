/**
 * The members of a sharded group on Kubernetes: a member Lease per replica, labelled with the
 * group, renewed by its replica and watched by all (see {@link
 * dev.leaderelection.kubernetes.KubernetesLocks#groupMembership}).
 *
 * <p>Internal to {@code leaderelection-kubernetes}, not API: {@code LeaseMembership} is public
 * only so that {@code KubernetesLocks} can make one; applications get it as a
 * {@link dev.leaderelection.spi.GroupMembership}. It may change in any release.
 */
@NullMarked
package dev.leaderelection.kubernetes.members;

import org.jspecify.annotations.NullMarked;
