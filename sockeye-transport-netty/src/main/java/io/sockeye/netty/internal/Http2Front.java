package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

import java.util.List;
import java.util.function.Supplier;

/**
 * HTTP/2 on the front, when it is on: a connection that starts with the HTTP/2 preface (cleartext "prior
 * knowledge", h2c) or negotiates {@code h2} with ALPN (TLS) drops its HTTP/1.1 handlers for an HTTP/2 codec
 * that gives each stream a child channel of its own, whose pipeline turns the stream back into HTTP/1.1
 * request and response objects for the usual handlers (body aggregation, routing). Every request of such a
 * connection is served as over HTTP/1.1 — long-polling, the fallback's routes, Server-Sent Events — except
 * WebSocket, which browsers open over HTTP/1.1 when the server does not offer RFC 8441.
 */
final class Http2Front {

    /** The HTTP/1.1 handlers a connection drops when it turns out to speak HTTP/2. */
    static final List<String> HTTP1_HANDLERS = List.of("http", "deadlines", "compressor", "aggregator", "engine");

    private Http2Front() {
    }

    /** Replaces the HTTP/1.1 handlers of {@code p} with HTTP/2, each stream served by the handlers {@code perStream} makes. */
    static void switchTo(ChannelPipeline p, Supplier<ChannelHandler[]> perStream) {
        for (String name : HTTP1_HANDLERS) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        p.addLast("h2", Http2FrameCodecBuilder.forServer().build());
        p.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
                ch.pipeline().addLast(perStream.get());
            }
        }));
    }

    /**
     * Cleartext: reads no further than the connection's first bytes. The HTTP/2 preface switches it to
     * HTTP/2; anything else leaves it on HTTP/1.1 with the bytes passed on untouched.
     */
    static final class PriorKnowledge extends ByteToMessageDecoder {
        private final Supplier<ChannelHandler[]> perStream;

        PriorKnowledge(Supplier<ChannelHandler[]> perStream) {
            this.perStream = perStream;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
            try {
                int n = Math.min(in.readableBytes(), preface.readableBytes());
                for (int i = 0; i < n; i++) {
                    if (in.getByte(in.readerIndex() + i) != preface.getByte(i)) {
                        ctx.pipeline().remove(this); // HTTP/1.1: what was read goes on to the codec
                        return;
                    }
                }
                if (n == preface.readableBytes()) {
                    switchTo(ctx.pipeline(), perStream); // the HTTP/2 codec reads the preface itself
                    ctx.pipeline().remove(this);
                }
            } finally {
                preface.release();
            }
        }
    }

    /** TLS: {@code h2} when the client offers it with ALPN, else HTTP/1.1 as before. */
    static final class Alpn extends ApplicationProtocolNegotiationHandler {
        private final Supplier<ChannelHandler[]> perStream;

        Alpn(Supplier<ChannelHandler[]> perStream) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.perStream = perStream;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                switchTo(ctx.pipeline(), perStream);
            }
        }
    }
}
