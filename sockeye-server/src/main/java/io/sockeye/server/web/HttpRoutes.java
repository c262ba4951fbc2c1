package io.sockeye.server.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HttpFallback;


/**
 * Everything the server answers besides Socket.IO itself, in one readable place:
 *
 * <pre>
 * /api/...   the HTTP API for backends
 * /...       the demo page and its files; anything else 404
 * </pre>
 *
 * ({@code /metrics}, {@code /healthz} and {@code /readyz} are answered before these, by the metrics
 * package's routes; the admin dashboard by {@code io.sockeye.server.admin}.)
 */
public final class HttpRoutes implements HttpFallback {

    private final HttpFallback api;
    private final StaticFiles files;

    public HttpRoutes(HttpFallback api, StaticFiles files) {
        this.api = api;
        this.files = files;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info) {
        String path = info.path();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.handle(ctx, req, info);
        }
        return files.handle(ctx, req, info);
    }
}
