package io.sockeye.spring;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bean whose {@link OnConnect}, {@link OnEvent} and {@link OnDisconnect} methods handle the sockets of
 * one namespace. A {@link Component}, so component scanning finds it; several controllers may share a
 * namespace. Methods are found on the bean's class and invoked through the bean Spring hands out (its
 * proxy, if any), so {@code @Transactional}, {@code @PreAuthorize} and {@code @Async} apply.
 *
 * <pre>{@code
 * @SocketIoController(namespace = "/chat")
 * class ChatController {
 *     @OnConnect void joined(Socket socket) { socket.join("lobby"); }
 *     @OnEvent("message") Reply message(Socket socket, ChatMessage msg) { ... }   // the ack
 *     @OnDisconnect void left(Socket socket, String reason) { }
 * }
 * }</pre>
 *
 * <p>{@code namespace} may hold variables in braces, {@code "/tenant-{id}"}: a dynamic namespace whose
 * children are created on demand for every name that matches (a variable matches one or more characters
 * other than {@code /}); a handler parameter annotated {@link NamespaceVariable} receives the value.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface SocketIoController {

    /** The namespace, {@code "/"} by default; {@code {name}} marks a variable of a dynamic namespace. */
    String namespace() default "/";

    /** The bean name, as for {@link Component#value()}. */
    @AliasFor(annotation = Component.class)
    String value() default "";
}
