/**
 * Auto-configuration of leader election: properties, elector beans, lifecycle, events,
 * {@code @OnLeader}, health and metrics.
 */
@NullMarked
package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
