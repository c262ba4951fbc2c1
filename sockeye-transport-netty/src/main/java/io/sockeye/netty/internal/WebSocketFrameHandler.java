package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WebSocketInbound;
import io.sockeye.core.spi.transport.WireVariant;
import io.sockeye.netty.ConnectionStats;
import io.sockeye.netty.WebSocketPipeline;

import java.nio.charset.StandardCharsets;

/** The Engine.IO WebSocket transport on a Netty channel: complete messages in, frames out. */
final class WebSocketFrameHandler extends WebSocketPipeline.MessageHandler implements WebSocketChannel {

    /**
     * A text packet's complete RFC 6455 frame: prepared once per shared packet (a broadcast's, on one
     * event loop) and released with it; each recipient writes a retained duplicate.
     */
    static final WireVariant<ByteBuf> TEXT_FRAME = WireVariant.declare("websocket text frame", ByteBuf::release);

    /** A binary packet's complete frame (a msgpack broadcast's message), prepared and shared the same way. */
    static final WireVariant<ByteBuf> BINARY_FRAME = WireVariant.declare("websocket binary frame", ByteBuf::release);

    /**
     * A text packet's complete compressed frame (permessage-deflate, RFC 7692): compressed once per shared
     * packet and written to every recipient that negotiated the extension. One variant serves them all
     * because every deflate connection has the same parameters (no server context takeover, 15-bit window).
     */
    static final WireVariant<ByteBuf> DEFLATE_TEXT_FRAME = WireVariant.declare("websocket compressed text frame",
            ByteBuf::release);

    /** A binary packet's complete compressed frame, prepared and shared the same way. */
    static final WireVariant<ByteBuf> DEFLATE_BINARY_FRAME = WireVariant.declare("websocket compressed binary frame",
            ByteBuf::release);

    private final Channel channel;
    private final ConnectionPolicy policy;
    private volatile WebSocketInbound transport;

    WebSocketFrameHandler(Channel channel, int maxMessageBytes) {
        this(channel, maxMessageBytes, ConnectionPolicy.DEFAULTS);
    }

    WebSocketFrameHandler(Channel channel, int maxMessageBytes, ConnectionPolicy policy) {
        super(maxMessageBytes);
        this.channel = channel;
        this.policy = policy;
    }

    void bind(WebSocketInbound transport) {
        this.transport = transport;
        if (transport != null && !channel.isActive()) {
            transport.onClosed(false);
        }
    }

    @Override
    protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
        WebSocketInbound t = transport;
        if (t == null) {
            return;
        }
        ByteBuf content = frame.content();
        if (frame instanceof TextWebSocketFrame) {
            t.onText(content.toString(StandardCharsets.UTF_8));
        } else if (frame instanceof BinaryWebSocketFrame) {
            t.onBinary(ByteBufUtil.getBytes(content));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        WebSocketInbound t = transport;
        if (t != null) {
            t.onClosed(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void onFailure(ChannelHandlerContext ctx, Throwable cause) {
        WebSocketInbound t = transport;
        if (t != null) {
            t.onClosed(true);
        }
        ctx.close();
    }

    // ---- WebSocketChannel ---------------------------------------------------------------------

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public void writeText(OutboundPacket packet) {
        int threshold = deflateThreshold();
        write(packet, threshold >= 0 && packet.utf8().length >= threshold ? DEFLATE_TEXT_FRAME : TEXT_FRAME);
    }

    @Override
    public void writeBinary(OutboundPacket packet) {
        int threshold = deflateThreshold();
        if (threshold >= 0 && packet.binary().length >= threshold) {
            write(packet, DEFLATE_BINARY_FRAME);
            return;
        }
        if (!packet.hasOtherHolders() && packet.prepared(BINARY_FRAME) == null) {
            // One session's binary message (an attachment, a msgpack packet): no frame worth preparing.
            channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet.binary())), channel.voidPromise());
            return;
        }
        write(packet, BINARY_FRAME);
    }

    private void write(OutboundPacket packet, WireVariant<ByteBuf> variant) {
        ByteBuf frame = packet.prepared(variant);
        if (frame != null) {
            frame = frame.retainedDuplicate();
        } else if (packet.hasOtherHolders()) {
            // Other recipients on this loop will write the same packet: the packet keeps the frame.
            frame = packet.prepare(variant, encode(packet, variant)).retainedDuplicate();
        } else {
            frame = encode(packet, variant); // the last holder: no one to share with
        }
        channel.write(frame, channel.voidPromise());
    }

    private ByteBuf encode(OutboundPacket packet, WireVariant<ByteBuf> variant) {
        if (variant == DEFLATE_TEXT_FRAME || variant == DEFLATE_BINARY_FRAME) {
            boolean text = variant == DEFLATE_TEXT_FRAME;
            byte[] compressed = DeflateCodec.deflate(text ? packet.utf8() : packet.binary());
            onCompressed();
            return EncodedFrames.encodeCompressed(channel.alloc(), text, compressed);
        }
        return variant == BINARY_FRAME ? EncodedFrames.encodeBinary(channel.alloc(), packet.binary())
                : EncodedFrames.encode(channel.alloc(), packet.utf8());
    }

    @Override
    protected void onCompressed() {
        policy.counters().countCompressed();
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            policy.closeWithin(channel); // the frame may wait behind data a peer never reads
        }
    }

    @Override
    public void abort() {
        if (channel.isActive() && channel.isWritable() && pendingBytes() == 0) {
            close(); // nothing waits ahead of the close frame
        } else {
            policy.reset(channel, ConnectionStats.Reset.SLOW_CONSUMER);
        }
    }

    @Override
    public void whenClosed(Runnable task) {
        channel.closeFuture().addListener(f -> task.run());
    }

    @Override
    public boolean memoryPressure() {
        return DirectMemory.underPressure();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }
}
