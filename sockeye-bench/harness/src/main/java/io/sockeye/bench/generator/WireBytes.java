package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes the subscribers' sockets read, first in their pipelines: what the server put on the wire
 * for them (WebSocket frame headers and payloads, compressed where permessage-deflate is on; not the TCP/IP
 * headers). One instance per generator, shared by its subscriber connections.
 */
@ChannelHandler.Sharable
final class WireBytes extends ChannelInboundHandlerAdapter {

    private final LongAdder bytes = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes.add(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    void reset() {
        bytes.reset();
    }

    long sumThenReset() {
        return bytes.sumThenReset();
    }
}
