package io.sockeye.core;

/**
 * Continues or stops a middleware chain. Call exactly one method exactly once, from any thread and
 * at any later time; further calls are ignored.
 */
public interface Next {

    /** Runs the next middleware, or the default action when this was the last one. */
    void proceed();

    /**
     * Stops the chain. For a namespace {@link Middleware} the client receives a CONNECT_ERROR with
     * the error's message (and {@link ConnectError#data()} when it is a {@link ConnectError}); for a
     * {@link PacketMiddleware} the event is dropped and the error goes to {@link Socket#onError}.
     */
    void reject(Exception error);
}
