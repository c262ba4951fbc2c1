package io.sockeye.bench.soak;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.ReferenceCountUtil;
import io.sockeye.bench.generator.Generator;

/**
 * One keep-alive HTTP/1.1 connection of a polling client, one request at a time (a browser gives a
 * long-polling session two: one for the pending GET, one for POSTs). Connects on the first request and
 * again after the server closed it between requests.
 */
final class HttpLane {

    /** Gets what the lane's requests come to; called on the event loop. */
    interface Listener {
        void response(HttpLane lane, int status, String body);

        void failed(HttpLane lane, String why);
    }

    private final Net net;
    private final SourceClass source;
    private final int port;
    private final Listener listener;
    private Channel channel;
    private boolean inFlight;
    private boolean closed;

    HttpLane(Net net, SourceClass source, int port, Listener listener) {
        this.net = net;
        this.source = source;
        this.port = port;
        this.listener = listener;
    }

    boolean inFlight() {
        return inFlight;
    }

    /** Sends {@code request} (released here), connecting first when needed. */
    void request(FullHttpRequest request) {
        if (closed || inFlight) {
            ReferenceCountUtil.release(request);
            if (!closed) {
                listener.failed(this, "request while another is in flight");
            }
            return;
        }
        inFlight = true;
        if (channel != null && channel.isActive()) {
            write(request);
            return;
        }
        Handler handler = new Handler();
        ChannelFuture connecting = net.connect(source, port, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 << 20), handler);
            }
        });
        channel = connecting.channel(); // before the listener: a loopback connect may complete at once
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                write(request);
            } else {
                ReferenceCountUtil.release(request);
                lost("connect: " + Generator.describe(f.cause()));
            }
        });
    }

    private void write(FullHttpRequest request) {
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                lost("write: " + Generator.describe(f.cause()));
            }
        });
    }

    private void lost(String why) {
        if (inFlight && !closed) {
            inFlight = false;
            listener.failed(this, why);
        }
    }

    /** Stops reading the connection (a client that stopped taking responses). */
    void stopReading() {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /** Closes the connection and forgets any request in flight; with {@code reset}, a TCP RST. */
    void close(boolean reset) {
        closed = true;
        inFlight = false;
        Net.close(channel, reset);
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            if (closed) {
                return;
            }
            inFlight = false;
            listener.response(HttpLane.this, r.status().code(), r.content().toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (ctx.channel() == channel) {
                lost("connection closed");
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                lost(Generator.describe(cause));
            }
            ctx.close();
        }
    }
}
