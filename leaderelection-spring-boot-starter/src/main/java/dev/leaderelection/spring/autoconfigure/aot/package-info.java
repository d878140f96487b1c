/** Ahead-of-time processing and native images: the runtime hints the starter needs. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
