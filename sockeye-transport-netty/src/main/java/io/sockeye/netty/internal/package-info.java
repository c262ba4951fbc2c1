/**
 * The front's pipeline and its handlers: the channel initializer, Engine.IO routing of HTTP requests,
 * the long-polling exchange, the WebSocket channel the engine writes to, CORS and RFC 6455 framing.
 * Not API: other modules use {@code io.sockeye.netty}.
 */
package io.sockeye.netty.internal;
