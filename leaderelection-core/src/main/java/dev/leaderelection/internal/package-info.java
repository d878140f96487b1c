/**
 * Not API: what the library's own modules (the Kubernetes and etcd locks) share with the core.
 * Anything here may change in any release; applications and third-party locks must not use it.
 */
@NullMarked
package dev.leaderelection.internal;

import org.jspecify.annotations.NullMarked;
