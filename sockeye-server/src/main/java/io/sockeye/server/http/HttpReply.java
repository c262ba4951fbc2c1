package io.sockeye.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The standalone server's one way of writing a complete HTTP response to one request: the request's
 * keep-alive and {@code HEAD}-ness are read when it arrives ({@link #to}), so the answer may be sent
 * later, from any thread, after the request was released. Every response gets its
 * {@code Content-Length}; a {@code HEAD} request gets the headers of the {@code GET} answer and no body;
 * the connection is closed after the response when the client asked for it or {@link #closing()} says
 * so, and kept open otherwise ({@code Connection: keep-alive} only where HTTP/1.0 needs it).
 */
public final class HttpReply {

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final boolean http10;
    private final boolean head;

    private HttpReply(ChannelHandlerContext ctx, boolean keepAlive, boolean http10, boolean head) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.http10 = http10;
        this.head = head;
    }

    /** How to answer {@code request} on {@code ctx}'s connection. */
    public static HttpReply to(ChannelHandlerContext ctx, HttpRequest request) {
        return new HttpReply(ctx, HttpUtil.isKeepAlive(request), request.protocolVersion() == HttpVersion.HTTP_1_0,
                request.method() == HttpMethod.HEAD);
    }

    /** The same answer, but the connection closes after it (e.g. when the rest of the request may still be in flight). */
    public HttpReply closing() {
        return new HttpReply(ctx, false, http10, head);
    }

    /** Whether the request was {@code HEAD}. */
    public boolean head() {
        return head;
    }

    /** Sends {@code response}: Content-Length from its body unless set, body dropped for {@code HEAD}, keep-alive honoured. */
    public void send(FullHttpResponse response) {
        FullHttpResponse out = response;
        if (!out.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(out, out.content().readableBytes());
        }
        if (head && out.content().isReadable()) {
            out = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (http10) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(out);
    }

    /** Sends {@code body} with {@code status} and {@code contentType}, never cached ({@code Cache-Control: no-store}). */
    public void send(HttpResponseStatus status, String contentType, ByteBuf body) {
        send(response(status, contentType, body));
    }

    /** A JSON answer ({@code application/json}, never cached). */
    public void json(HttpResponseStatus status, String json) {
        send(status, "application/json", Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    }

    /** A JSON answer ({@code application/json}, never cached). */
    public void json(HttpResponseStatus status, byte[] json) {
        send(status, "application/json", Unpooled.wrappedBuffer(json));
    }

    /** A plain-text answer, never cached. */
    public void text(HttpResponseStatus status, String text) {
        send(status, "text/plain; charset=UTF-8", Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** A response with {@code Content-Type} (when not null) and {@code Cache-Control: no-store}, ready for more headers. */
    public static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        if (contentType != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }
}
