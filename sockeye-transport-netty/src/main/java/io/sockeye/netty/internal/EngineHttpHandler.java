package io.sockeye.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketInbound;
import io.sockeye.netty.HandshakeFilter;
import io.sockeye.netty.HttpFallback;
import io.sockeye.netty.Requests;
import io.sockeye.netty.WebSocketPipeline;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Routes HTTP requests: Engine.IO paths go to their {@link EngineEndpoint} (long-polling, or a WebSocket
 * handshake that swaps this handler for a {@link WebSocketFrameHandler}); other paths go to the
 * fallback handler, or get 404.
 */
public final class EngineHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final List<EngineEndpoint> engines;
    private final HttpFallback fallback;
    private final HandshakeFilter handshakeFilter;
    private final ConnectionPolicy connections;

    public EngineHttpHandler(List<EngineEndpoint> engines, HttpFallback fallback, HandshakeFilter handshakeFilter) {
        this(engines, fallback, handshakeFilter, ConnectionPolicy.DEFAULTS);
    }

    public EngineHttpHandler(List<EngineEndpoint> engines, HttpFallback fallback, HandshakeFilter handshakeFilter,
                             ConnectionPolicy connections) {
        super(false);
        this.engines = engines;
        this.fallback = fallback;
        this.handshakeFilter = handshakeFilter;
        this.connections = connections;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            if (!req.decoderResult().isSuccess()) {
                sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "Bad Request");
                return;
            }
            RequestInfo info = Requests.info(ctx.channel(), req);
            EngineEndpoint engine = route(info.path());
            if (engine == null) {
                if (fallback == null || !fallback.handle(ctx, req, info)) {
                    sendAndClose(ctx, HttpResponseStatus.NOT_FOUND, "Not Found");
                }
                return;
            }
            serveEngine(ctx, req, info, engine);
        } finally {
            req.release();
        }
    }

    private EngineEndpoint route(String path) {
        return route(engines, path);
    }

    /** The endpoint serving {@code path} (under its path, or the path without its trailing slash), or null. */
    public static EngineEndpoint route(List<EngineEndpoint> engines, String path) {
        for (EngineEndpoint e : engines) {
            String p = e.options().path();
            if (path.startsWith(p) || path.regionMatches(0, p, 0, p.length() - 1) && path.length() == p.length() - 1) {
                return e;
            }
        }
        return null;
    }

    private void serveEngine(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info, EngineEndpoint engine) {
        ServerOptions options = engine.options();
        boolean upgrade = "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))
                && req.method() == HttpMethod.GET;
        if (req.method() == HttpMethod.OPTIONS && options.cors() != null) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            Cors.applyPreflight(options.cors(), info, res.headers());
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(res);
            return;
        }
        if (handshakeFilter != null && info.queryParam("sid") == null) {
            HandshakeFilter.Rejection r = handshakeFilter.check(info);
            if (r != null) {
                sendRejection(ctx, options, info, r);
                return;
            }
        }
        EngineError.Rejection rejection = engine.verify(info, upgrade);
        NettyHttpExchange exchange = new NettyHttpExchange(ctx.channel(), info, options, HttpUtil.isKeepAlive(req));
        if (rejection != null) {
            exchange.sendError(rejection);
            return;
        }
        String transport = info.queryParam("transport");
        if ("websocket".equals(transport)) {
            if (!upgrade) {
                exchange.sendError(new EngineError.Rejection(EngineError.BAD_REQUEST));
                return;
            }
            upgradeToWebSocket(ctx, req, info, engine);
            return;
        }
        if (req.method() == HttpMethod.GET) {
            engine.handlePolling(info, null, exchange, ctx.channel().eventLoop());
        } else if (req.method() == HttpMethod.POST) {
            // Spec v4: binary polling bodies are base64 in text; an octet-stream POST is invalid content.
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type != null && type.startsWith("application/octet-stream")) {
                exchange.sendError(new EngineError.Rejection(EngineError.BAD_REQUEST));
                engine.closeSession(info.queryParam("sid"), "transport error");
                return;
            }
            if (req.content().readableBytes() > options.maxHttpBufferSize()) {
                exchange.sendStatus(413);
                engine.closeSession(info.queryParam("sid"), "transport error");
                return;
            }
            engine.handlePolling(info, req.content().toString(StandardCharsets.UTF_8), exchange, ctx.channel().eventLoop());
        } else {
            exchange.sendError(new EngineError.Rejection(EngineError.BAD_REQUEST));
        }
    }

    private void upgradeToWebSocket(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info, EngineEndpoint engine) {
        ServerOptions options = engine.options();
        String sid = info.queryParam("sid");
        String newSid = sid == null ? SessionIds.next() : null;
        HttpHeaders extra = new DefaultHttpHeaders();
        if (newSid != null && options.cookie() != null) {
            extra.add(HttpHeaderNames.SET_COOKIE, options.cookie().headerValue(newSid));
        }
        int max = (int) Math.min(Integer.MAX_VALUE, options.maxHttpBufferSize());
        WebSocketFrameHandler frames = new WebSocketFrameHandler(ctx.channel(), max, connections);
        if (!WebSocketPipeline.upgrade(ctx, req, info.secure(), extra, connections.deflate(), frames)) {
            return;
        }
        WebSocketInbound transport = sid == null
                ? engine.openWebSocket(info, frames, newSid)
                : engine.upgradeWebSocket(sid, frames);
        frames.bind(transport);
    }

    private static void sendRejection(ChannelHandlerContext ctx, ServerOptions options, RequestInfo info,
                                      HandshakeFilter.Rejection r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.copiedBuffer(r.jsonBody(), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (r.retryAfterSeconds() > 0) {
            res.headers().setInt(HttpHeaderNames.RETRY_AFTER, r.retryAfterSeconds());
        }
        Cors.apply(options.cors(), info, res.headers());
        ctx.writeAndFlush(res);
    }

    static void sendAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
