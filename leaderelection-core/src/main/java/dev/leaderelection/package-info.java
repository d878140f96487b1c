/**
 * Kubernetes-style leader election without Spring.
 *
 * <p>{@link dev.leaderelection.LeaderElector} is the one entry point: it competes for a
 * {@link dev.leaderelection.spi.LeaseLock}, keeps the lease renewed while it leads and reports
 * transitions to {@link dev.leaderelection.LeadershipListener}s.
 */
@NullMarked
package dev.leaderelection;

import org.jspecify.annotations.NullMarked;
