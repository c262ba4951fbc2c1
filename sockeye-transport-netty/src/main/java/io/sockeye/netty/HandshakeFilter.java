package io.sockeye.netty;

import io.sockeye.core.RequestInfo;

/**
 * Runs before a new Engine.IO session is created (a request on an Engine.IO path without
 * {@code sid}), ahead of the protocol's own checks — the place for handshake rate limits that must
 * answer 503 so a reconnect storm cannot take the server down. Runs on the event loop: must not block.
 */
@FunctionalInterface
public interface HandshakeFilter {

    /** @return {@code null} to let the handshake proceed, or the rejection to send */
    Rejection check(RequestInfo request);

    /** An HTTP answer: status, JSON body and an optional {@code Retry-After} in seconds (0 = none). */
    record Rejection(int status, String jsonBody, int retryAfterSeconds) {
    }
}
