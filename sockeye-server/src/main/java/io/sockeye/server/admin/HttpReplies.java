package io.sockeye.server.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Complete HTTP responses of the dashboard: never cached, framed, honouring keep-alive. */
final class HttpReplies {

    private HttpReplies() {
    }

    static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        // Admin data must not linger in shared caches or the browser's back-forward cache.
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
        return res;
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        HttpUtil.setContentLength(res, res.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var future = ctx.writeAndFlush(res);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, byte[] json) {
        send(ctx, req, response(status, "application/json", json));
    }

    static void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String code) {
        json(ctx, req, status, ("{\"ok\":false,\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(ChannelHandlerContext ctx, FullHttpRequest req, String location, String cookie) {
        FullHttpResponse res = response(HttpResponseStatus.SEE_OTHER, null, new byte[0]);
        res.headers().set(HttpHeaderNames.LOCATION, location);
        if (cookie != null) {
            res.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        send(ctx, req, res);
    }
}
