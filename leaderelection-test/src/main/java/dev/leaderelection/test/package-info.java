/**
 * A test kit for applications' own tests: {@link dev.leaderelection.test.AutoConfigureLeadershipControl}
 * puts every election on an in-memory lock, and {@link dev.leaderelection.test.LeadershipControl}
 * makes this instance leader or follower of an election on demand.
 */
@NullMarked
package dev.leaderelection.test;

import org.jspecify.annotations.NullMarked;
