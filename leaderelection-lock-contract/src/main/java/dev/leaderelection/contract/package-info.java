/**
 * The lock contract for authors of {@link dev.leaderelection.spi.LeaseLock}s: extend
 * {@link dev.leaderelection.contract.LeaseLockContract} in the lock's tests.
 */
@NullMarked
package dev.leaderelection.contract;

import org.jspecify.annotations.NullMarked;
