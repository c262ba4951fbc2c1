package io.sockeye.tests.autobahn;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.sockeye.netty.PerMessageDeflate;
import io.sockeye.netty.WebSocketPipeline;

/**
 * The pipeline under test: the HTTP front of the Sockeye transport, then the transport's own
 * {@link WebSocketPipeline} (decoder limits, UTF-8 validation, reassembly, control frames, permessage-deflate), with an
 * echo application on top in place of Engine.IO.
 */
final class AutobahnServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Large enough for every message the suite sends, including the 9.* cases excluded from the build. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;
    /**
     * permessage-deflate as the front negotiates it, for the 12.* and 13.* cases (the other cases offer no
     * extension); threshold 0 so that every echoed message goes through the compressor.
     */
    private static final PerMessageDeflate DEFLATE = PerMessageDeflate.enabled(0);

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new HttpServerCodec());
        pipeline.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        pipeline.addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                WebSocketPipeline.upgrade(ctx, req, false, EmptyHttpHeaders.INSTANCE, DEFLATE,
                        new WebSocketEchoHandler(MAX_MESSAGE_BYTES));
            }
        });
    }
}
