/** Auto-configuration of the Micrometer metrics of every election and every sharded group. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
