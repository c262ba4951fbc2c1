package io.sockeye.bench.generator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A minimal Server-Sent Events client in front of a {@link LoadConnection}: once connected it sends
 * {@code GET <path>?rooms=<room>} over HTTP/1.1 with keep-alive; a {@code 200} makes the connection ready,
 * and each {@code data:} line of the streamed body is a delivery, timed by the payload's send timestamp as
 * on the WebSocket path. The {@link LoadConnection} after it keeps the connection's state and bookkeeping.
 */
final class SseSubscriber extends SimpleChannelInboundHandler<HttpObject> {

    private final LoadConnection connection;
    private final String host;
    private final String uri;
    private final SseLines lines = new SseLines();
    /** The answer was {@code 200}: its body is the stream (a refusal's body is JSON, not read). */
    private boolean streaming;

    SseSubscriber(LoadConnection connection, String host, int port, String path, String room) {
        this.connection = connection;
        this.host = host + ":" + port;
        this.uri = path + "?rooms=" + room;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        get.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.ACCEPT, "text/event-stream")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(get);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            streaming = response.status().equals(HttpResponseStatus.OK);
            if (streaming) {
                connection.streamOpened();
            } else {
                connection.fail("sse " + response.status().code());
            }
        }
        if (streaming && msg instanceof HttpContent content) {
            lines.feed(content.content(), connection::streamed);
        }
    }
}
