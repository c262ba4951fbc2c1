package io.sockeye.spring;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean implementing {@code io.sockeye.core.Middleware} that runs for every socket connecting to
 * {@link #namespace()} (a pattern with {@code {variables}} like {@link SocketIoController#namespace()}),
 * before the controllers' {@link OnConnect} methods. Middlewares of one namespace run in
 * {@code @Order} order; {@code next.reject(new ConnectError(...))} refuses the socket.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface SocketIoMiddleware {

    /** The namespace, {@code "/"} by default. */
    String namespace() default "/";

    /** The bean name, as for {@link Component#value()}. */
    @AliasFor(annotation = Component.class)
    String value() default "";
}
