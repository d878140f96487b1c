/** Spring Integration roles: each election's leadership as OnGrantedEvent and OnRevokedEvent. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.integration;

import org.jspecify.annotations.NullMarked;
