package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.HttpExchange;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** One long-polling request/response on a Netty channel. Thread-safe: responds once, from any thread. */
final class NettyHttpExchange implements HttpExchange {

    private static final String TEXT_PLAIN = "text/plain; charset=UTF-8";

    private final Channel channel;
    private final RequestInfo request;
    private final ServerOptions options;
    private final boolean keepAlive;
    private final AtomicBoolean responded = new AtomicBoolean();
    /** On the connection's close future until this exchange is answered; a keep-alive connection outlives it. */
    private volatile GenericFutureListener<Future<? super Void>> abortListener;

    NettyHttpExchange(Channel channel, RequestInfo request, ServerOptions options, boolean keepAlive) {
        this.channel = channel;
        this.request = request;
        this.options = options;
        this.keepAlive = keepAlive;
    }

    @Override
    public void sendPayload(String payload) {
        respond(HttpResponseStatus.OK, TEXT_PLAIN, payload, null);
    }

    @Override
    public void sendHandshake(String payload, String sid) {
        String cookie = options.cookie() != null ? options.cookie().headerValue(sid) : null;
        respond(HttpResponseStatus.OK, TEXT_PLAIN, payload, cookie);
    }

    @Override
    public void sendOk() {
        respond(HttpResponseStatus.OK, "text/html", "ok", null);
    }

    @Override
    public void sendError(EngineError.Rejection rejection) {
        respond(HttpResponseStatus.valueOf(rejection.httpStatus()), "application/json", rejection.json(), null);
    }

    @Override
    public void sendStatus(int status) {
        respond(HttpResponseStatus.valueOf(status), null, "", null);
    }

    @Override
    public void whenAborted(Runnable onClose) {
        GenericFutureListener<Future<? super Void>> listener = f -> {
            if (!responded.get()) {
                onClose.run();
            }
        };
        abortListener = listener;
        channel.closeFuture().addListener(listener);
        if (responded.get()) {
            channel.closeFuture().removeListener(listener); // answered while the listener was being added
        }
    }

    private void respond(HttpResponseStatus status, String contentType, String body, String cookie) {
        if (!responded.compareAndSet(false, true)) {
            return;
        }
        GenericFutureListener<Future<? super Void>> listener = abortListener;
        if (listener != null) {
            channel.closeFuture().removeListener(listener);
        }
        ByteBuf content = body.isEmpty() ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (contentType != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (cookie != null) {
            res.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
        }
        Cors.apply(options.cors(), request, res.headers());
        boolean keep = keepAlive && status.code() != 413;
        if (!keep) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var future = channel.writeAndFlush(res);
        if (!keep) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
