package io.sockeye.core.internal.socket;

import io.sockeye.core.Middleware;

/**
 * A namespace middleware as registered: {@code always} when it runs for a socket restored by
 * connection state recovery even though recovery skips middlewares ({@code Namespace.useAlways}).
 */
record RegisteredMiddleware(Middleware middleware, boolean always) {
}
