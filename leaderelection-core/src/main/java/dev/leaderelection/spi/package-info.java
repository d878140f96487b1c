/**
 * For authors of locks: {@link dev.leaderelection.spi.LeaseLock}, the record it stores
 * ({@link dev.leaderelection.spi.LeaderRecord}, built with its builder), the
 * {@link dev.leaderelection.spi.RecordWatcher} a watching lock reports to, the
 * {@link dev.leaderelection.spi.LockReference} operators see, the coordinated-election
 * {@link dev.leaderelection.spi.Candidacy}, and locks to build on:
 * {@link dev.leaderelection.spi.ForwardingLeaseLock}, {@link dev.leaderelection.spi.InMemoryLeaseLock}
 * and {@link dev.leaderelection.spi.MigratingLeaseLock}. Applications use {@code dev.leaderelection}.
 */
@NullMarked
package dev.leaderelection.spi;

import org.jspecify.annotations.NullMarked;
