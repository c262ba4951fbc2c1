package io.sockeye.netty.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * The RFC 6455 part of every WebSocket connection, assembled in one place: decoder limits, UTF-8
 * validation, message reassembly and control frames (ping, pong, close). The application handler
 * after it sees only complete text and binary messages.
 */
public final class WebSocketPipeline {

    private WebSocketPipeline() {
    }

    /** Decoder settings: masked client frames, no extensions, protocol violations close with the RFC code. */
    public static WebSocketDecoderConfig decoderConfig(int maxMessageBytes) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
    }

    /**
     * Installs the frame handlers after {@code afterName} (the handshaker has already put the frame
     * decoder/encoder in place), ending with {@code application}.
     */
    public static void install(ChannelPipeline p, String afterName, int maxMessageBytes, ChannelHandler application) {
        p.addAfter(afterName, "ws-utf8", new Utf8FrameValidator(true));
        p.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(maxMessageBytes));
        p.addAfter("ws-aggregator", "ws-control", new ControlFrames());
        p.addAfter("ws-control", "ws-app", application);
    }

    /** Answers pings, drops pongs, completes the closing handshake and maps errors to close codes. */
    static final class ControlFrames extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            } else if (msg instanceof PongWebSocketFrame pong) {
                pong.release();
            } else if (msg instanceof CloseWebSocketFrame close) {
                // RFC 6455 §5.5.1: answer a Close with a Close (echoing the status code), then close TCP.
                int code = close.statusCode();
                close.release();
                CloseWebSocketFrame reply = code == -1 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ctx.channel().isActive()) {
                return;
            }
            WebSocketCloseStatus status;
            if (cause instanceof CorruptedWebSocketFrameException c) {
                status = c.closeStatus();
            } else if (cause instanceof TooLongFrameException) {
                status = WebSocketCloseStatus.MESSAGE_TOO_BIG;
            } else {
                status = WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
            }
            ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
