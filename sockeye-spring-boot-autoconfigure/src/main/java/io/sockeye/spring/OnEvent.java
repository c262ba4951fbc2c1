package io.sockeye.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles an event that clients emit on the controller's namespace.
 *
 * <p>Parameters are resolved by type: {@code io.sockeye.core.Socket}, {@code io.sockeye.core.Ack} (the
 * method then answers itself), {@code io.sockeye.core.Args} (all arguments, raw),
 * {@code java.security.Principal} or Spring Security's {@code Authentication} (the socket's authenticated
 * user, or {@code null}), {@link NamespaceVariable} parameters; every other parameter takes the event's
 * next argument in order, mapped by Jackson to the parameter's (generic) type.
 *
 * <p>The return value is the acknowledgement when the client asked for one: a value is sent as the ack's
 * argument, a {@code CompletionStage} when it completes, {@code void} or {@code null} as an empty ack. An
 * exception (or a failed {@code CompletionStage}) becomes an error ack — {@code {"error": message}} with
 * the message of a {@link SocketIoException}, {@code "forbidden"} for Spring Security's access denial,
 * {@code "internal error"} otherwise (logged) — or, when no ack was asked for, is logged.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnEvent {

    /** The event name. */
    String value();
}
