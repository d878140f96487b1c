/**
 * Kubernetes coordinated leader election (KEP-4355): this instance's LeaseCandidate, kept current
 * for the API server's controller. API:
 * {@link dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException}.
 * Internal: {@code LeaseCandidacy} (public only so that
 * {@link dev.leaderelection.kubernetes.KubernetesLocks#leaseCandidate} can make one; applications
 * get it as a {@code Candidacy}), {@code LeaseCandidateApi} and {@code SemanticVersion}.
 */
@NullMarked
package dev.leaderelection.kubernetes.coordinated;

import org.jspecify.annotations.NullMarked;
