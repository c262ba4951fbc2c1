package io.sockeye.core;

/**
 * Decides whether a handshake (a new Engine.IO session, polling or WebSocket) may proceed. Runs on
 * the event loop: it must not block.
 */
@FunctionalInterface
public interface AllowRequest {

    /**
     * @return {@code null} to accept, or a message to reject the handshake with HTTP 403
     * {@code {"code":4,"message":"<message>"}}
     */
    String check(RequestInfo request);
}
