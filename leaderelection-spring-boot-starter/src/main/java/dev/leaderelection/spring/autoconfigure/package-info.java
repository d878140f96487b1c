/**
 * Auto-configuration of leader election: the properties, the Kubernetes API client, one elector
 * per election with its lock, lifecycle and events. Health, metrics and the {@code @OnLeader}
 * guard have their own sub-packages.
 */
@NullMarked
package dev.leaderelection.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
