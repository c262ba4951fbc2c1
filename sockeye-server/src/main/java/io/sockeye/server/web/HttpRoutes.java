package io.sockeye.server.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HttpFallback;

import java.util.function.BooleanSupplier;

/**
 * Everything the server answers besides Socket.IO itself, in one readable place:
 *
 * <pre>
 * /api/...   the HTTP API for backends
 * /healthz   200 {"ok":true,"status":"up"}, or 503 "draining" once shutdown has begun (load balancers
 *            stop sending new clients here)
 * /...       the demo page and its files; anything else 404
 * </pre>
 */
public final class HttpRoutes implements HttpFallback {

    private final HttpFallback api;
    private final StaticFiles files;
    private final BooleanSupplier draining;

    public HttpRoutes(HttpFallback api, StaticFiles files, BooleanSupplier draining) {
        this.api = api;
        this.files = files;
        this.draining = draining;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info) {
        String path = info.path();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return api.handle(ctx, req, info);
        }
        if (path.equals("/healthz")) {
            if (draining.getAsBoolean()) {
                Responses.json(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"ok\":false,\"status\":\"draining\"}");
            } else {
                Responses.json(ctx, req, HttpResponseStatus.OK, "{\"ok\":true,\"status\":\"up\"}");
            }
            return true;
        }
        return files.handle(ctx, req, info);
    }
}
