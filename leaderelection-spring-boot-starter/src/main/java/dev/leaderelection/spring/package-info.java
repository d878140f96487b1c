/**
 * The Spring surface of leader election: {@link dev.leaderelection.spring.OnLeader}, the
 * {@link dev.leaderelection.spring.LeadershipEvent}s and the customizer interface.
 */
@NullMarked
package dev.leaderelection.spring;

import org.jspecify.annotations.NullMarked;
