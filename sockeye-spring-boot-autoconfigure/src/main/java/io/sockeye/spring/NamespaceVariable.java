package io.sockeye.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler parameter that receives a variable of a dynamic namespace: with
 * {@code @SocketIoController(namespace = "/tenant-{id}")}, {@code @NamespaceVariable("id") String id} is
 * {@code "42"} for a socket of {@code /tenant-42}. Converted to the parameter's type ({@code String},
 * numbers, ...) with Spring's conversion service.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface NamespaceVariable {

    /** The variable's name, as written in braces in the namespace. */
    String value();
}
