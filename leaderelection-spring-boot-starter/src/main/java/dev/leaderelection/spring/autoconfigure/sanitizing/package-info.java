/** Masking of the starter's credentials in Actuator's configprops and env endpoints. */
@NullMarked
package dev.leaderelection.spring.autoconfigure.sanitizing;

import org.jspecify.annotations.NullMarked;
