/**
 * Not API: the election's internals behind {@link dev.leaderelection.LeaderElector} (its loop,
 * lock calls, watch, hand-over, fencing tokens and listener dispatch). The core's module does not
 * export this package, not even to the library's other modules; its few public types are public
 * for {@code dev.leaderelection} alone. Anything here may change without notice in any release.
 */
@NullMarked
package dev.leaderelection.internal.election;

import org.jspecify.annotations.NullMarked;
