package io.sockeye.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when a socket has connected to the controller's namespace (after its middlewares). Parameters
 * are resolved by type, as for {@link OnEvent}, without event arguments. An exception is logged; the
 * socket stays connected.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnConnect {
}
