package io.sockeye.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class HttpReplyTest {

    /** Answers each request with {@code answer} and returns the response written. */
    private static FullHttpResponse exchange(FullHttpRequest request, BiConsumer<HttpReply, FullHttpRequest> answer,
                                             boolean[] closed) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FullHttpRequest req = (FullHttpRequest) msg;
                try {
                    answer.accept(HttpReply.to(ctx, req), req);
                } finally {
                    req.release();
                }
            }
        });
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        closed[0] = !channel.isOpen();
        channel.finishAndReleaseAll();
        return response;
    }

    private static FullHttpRequest request(HttpVersion version, HttpMethod method) {
        return new DefaultFullHttpRequest(version, method, "/x");
    }

    private static String body(FullHttpResponse response) {
        ByteBuf content = response.content();
        try {
            return content.toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void aJsonAnswerHasItsLengthNoCachingAndKeepsTheConnectionOpen() {
        boolean[] closed = new boolean[1];
        FullHttpResponse res = exchange(request(HttpVersion.HTTP_1_1, HttpMethod.GET),
                (reply, req) -> reply.json(HttpResponseStatus.OK, "{\"ok\":true}"), closed);
        assertThat(res.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(res.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(res.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        assertThat(res.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(11);
        assertThat(res.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
        assertThat(body(res)).isEqualTo("{\"ok\":true}");
        assertThat(closed[0]).isFalse();
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() {
        boolean[] closed = new boolean[1];
        FullHttpResponse res = exchange(request(HttpVersion.HTTP_1_1, HttpMethod.HEAD),
                (reply, req) -> reply.text(HttpResponseStatus.OK, "twelve bytes"), closed);
        assertThat(res.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(12);
        assertThat(body(res)).isEmpty();
    }

    @Test
    void closesWhenTheClientAsksOrTheAnswerSaysSo() {
        boolean[] closed = new boolean[1];
        FullHttpRequest close = request(HttpVersion.HTTP_1_1, HttpMethod.GET);
        close.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        FullHttpResponse res = exchange(close, (reply, req) -> reply.text(HttpResponseStatus.OK, "bye"), closed);
        assertThat(res.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(closed[0]).isTrue();
        body(res);

        res = exchange(request(HttpVersion.HTTP_1_1, HttpMethod.POST),
                (reply, req) -> reply.closing().text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too large"), closed);
        assertThat(res.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(closed[0]).isTrue();
        body(res);
    }

    @Test
    void http10KeepAliveIsConfirmedAndPlainHttp10Closes() {
        boolean[] closed = new boolean[1];
        FullHttpRequest keepAlive = request(HttpVersion.HTTP_1_0, HttpMethod.GET);
        keepAlive.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        FullHttpResponse res = exchange(keepAlive, (reply, req) -> reply.text(HttpResponseStatus.OK, "hi"), closed);
        assertThat(res.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("keep-alive");
        assertThat(closed[0]).isFalse();
        body(res);

        res = exchange(request(HttpVersion.HTTP_1_0, HttpMethod.GET), (reply, req) -> reply.text(HttpResponseStatus.OK, "hi"), closed);
        assertThat(res.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(closed[0]).isTrue();
        body(res);
    }
}
