/**
 * The Spring surface of leader election: {@link dev.leaderelection.spring.OnLeader}, the
 * {@link dev.leaderelection.spring.LeadershipEvent}s, the customizer interface and the
 * {@link dev.leaderelection.spring.ElectionLockProvider}.
 */
@NullMarked
package dev.leaderelection.spring;

import org.jspecify.annotations.NullMarked;
