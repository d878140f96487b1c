/**
 * A test kit for applications' own tests:
 * {@link dev.leaderelection.test.AutoConfigureLeadershipControl} puts every election and every
 * sharded group on in-memory locks, and {@link dev.leaderelection.test.LeadershipControl} makes
 * this instance leader or follower of an election, or owner of a group's shard or not, on demand.
 */
@NullMarked
package dev.leaderelection.test;

import org.jspecify.annotations.NullMarked;
