package io.sockeye.spring;

import io.sockeye.core.Socket;

/**
 * Turns an exception thrown by an {@link OnEvent} handler into the ack the client receives. The
 * starter's default answers {@code {"error": message}} for a {@link SocketIoException} (with its
 * {@code "data"}), {@code {"error": "forbidden"}} for Spring Security's access denial, and
 * {@code {"error": "internal error"}} for anything else, which it logs. Declare a bean of this type to
 * answer differently.
 */
@FunctionalInterface
public interface SocketIoErrorHandler {

    /**
     * @param socket the socket whose event failed
     * @param event  the event name
     * @param error  the exception (unwrapped from {@code CompletionException}/{@code InvocationTargetException})
     * @return the ack's arguments
     */
    Object[] errorAck(Socket socket, String event, Throwable error);
}
