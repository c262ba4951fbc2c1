package io.sockeye.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.sockeye.core.RequestInfo;

/**
 * Answers a request the {@link HttpRouter} matched by its path. Runs on the connection's event loop and
 * must not block it; it answers exactly once, now or later (through {@link HttpReply}). The request is
 * released when this returns: retain it, or copy what is needed, to answer later.
 */
@FunctionalInterface
public interface HttpHandler {

    void handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info);
}
