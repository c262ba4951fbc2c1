package io.sockeye.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.sockeye.core.RequestInfo;

/**
 * Serves HTTP requests outside the Engine.IO paths (the standalone server's API, pages, metrics).
 * The request is released by the caller after {@link #handle} returns; retain it to keep it.
 */
@FunctionalInterface
public interface HttpFallback {

    /** @return {@code false} to let the server answer 404 */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info);
}
