/** Auto-configuration of the {@code leaderelection} Actuator endpoint. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
