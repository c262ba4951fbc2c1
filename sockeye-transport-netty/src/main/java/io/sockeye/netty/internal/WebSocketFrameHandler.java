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
import io.sockeye.core.internal.engine.Outbound;
import io.sockeye.core.internal.engine.WebSocketTransport;
import io.sockeye.core.internal.engine.WsChannel;

import java.nio.charset.StandardCharsets;

/** The Engine.IO WebSocket transport on a Netty channel: complete messages in, frames out. */
final class WebSocketFrameHandler extends WebSocketPipeline.MessageHandler implements WsChannel {

    private final Channel channel;
    private volatile WebSocketTransport transport;

    WebSocketFrameHandler(Channel channel, int maxMessageBytes) {
        super(maxMessageBytes);
        this.channel = channel;
    }

    void bind(WebSocketTransport transport) {
        this.transport = transport;
        if (transport != null && !channel.isActive()) {
            transport.onClosed(false);
        }
    }

    @Override
    protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
        WebSocketTransport t = transport;
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
        WebSocketTransport t = transport;
        if (t != null) {
            t.onClosed(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void onFailure(ChannelHandlerContext ctx, Throwable cause) {
        WebSocketTransport t = transport;
        if (t != null) {
            t.onClosed(true);
        }
        ctx.close();
    }

    // ---- WsChannel ----------------------------------------------------------------------------

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public void writeText(Outbound packet) {
        // The frame bytes may be shared by every recipient of a broadcast: encoded once per event loop.
        channel.write(EncodedFrames.text(channel.alloc(), packet.textFrame()), channel.voidPromise());
    }

    @Override
    public void writeBinary(byte[] data) {
        channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        }
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
