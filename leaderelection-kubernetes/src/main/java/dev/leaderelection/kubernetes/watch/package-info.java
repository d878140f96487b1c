/**
 * Not API: the watches of the Kubernetes locks. The locks of one {@code KubernetesLocks} share
 * them ({@code WatchRegistry}, one {@code SharedWatches} per kind and namespace), so the number
 * of watch threads does not grow with the number of elections; each {@code WatchStream} keeps one
 * watch up on a thread of its own, for the locks and for coordinated election's LeaseCandidate.
 * The public types here are public only for the module's other packages and may change in any
 * release.
 */
@NullMarked
package dev.leaderelection.kubernetes.watch;

import org.jspecify.annotations.NullMarked;
