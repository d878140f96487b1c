/** Auto-configuration of the {@code leaderElection} health contributor. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
