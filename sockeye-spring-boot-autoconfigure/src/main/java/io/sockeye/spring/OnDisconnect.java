package io.sockeye.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a socket has left the controller's namespace. A {@code String} parameter receives the
 * socket.io disconnect reason ({@code "client namespace disconnect"}, {@code "transport close"}, ...);
 * other parameters are resolved by type as for {@link OnEvent}. An exception is logged.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnDisconnect {
}
