package io.sockeye.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Complete HTTP responses for the operations endpoints, honouring keep-alive. Any thread. */
final class OpsResponses {

    private OpsResponses() {
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType,
                     ByteBuf body, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (head) {
            body.release();
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var future = ctx.writeAndFlush(res);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void json(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String json, boolean head) {
        send(ctx, keepAlive, status, "application/json", Unpooled.copiedBuffer(json, StandardCharsets.UTF_8), head);
    }
}
