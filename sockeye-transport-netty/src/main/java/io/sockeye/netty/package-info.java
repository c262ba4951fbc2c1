/**
 * The Netty front: {@link io.sockeye.netty.NettyFrontend} serves Socket.IO servers and bare Engine.IO
 * endpoints over HTTP long-polling and WebSocket (epoll on Linux, TLS, CORS, HTTP compression), with
 * hooks for the HTTP paths around them ({@link io.sockeye.netty.HttpFallback},
 * {@link io.sockeye.netty.HandshakeFilter}). {@link io.sockeye.netty.WebSocketPipeline} and
 * {@link io.sockeye.netty.Requests} are its WebSocket handling and request mapping, for pipelines of
 * one's own. It implements the transport side of {@code io.sockeye.core.spi.transport}.
 */
package io.sockeye.netty;
