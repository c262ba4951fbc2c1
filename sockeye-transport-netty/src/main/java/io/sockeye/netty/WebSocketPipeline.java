package io.sockeye.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.sockeye.netty.internal.EncodedFrames;

import java.nio.charset.StandardCharsets;

/**
 * The RFC 6455 part of every WebSocket connection, assembled in one place: decoder limits, UTF-8
 * validation, message reassembly and control frames (ping, pong, close). The application's handler
 * extends {@link MessageHandler}, which does the control part and hands it only complete text and
 * binary messages: after the upgrade a connection's pipeline is the frame decoder, one shared
 * encoder and that handler (reassembly joins them only when a client fragments a message).
 *
 * <p>Public so that a pipeline of one's own can use the same WebSocket handling as Sockeye's front:
 * behind an HTTP codec and aggregator, a handler answers the upgrade request with
 * {@link #upgrade(ChannelHandlerContext, FullHttpRequest, boolean, HttpHeaders, MessageHandler)}. The
 * Autobahn conformance run drives exactly this, with an echo application.
 */
public final class WebSocketPipeline {

    private WebSocketPipeline() {
    }

    /** Decoder settings: masked client frames, no extensions, protocol violations close with the RFC code. */
    public static WebSocketDecoderConfig decoderConfig(int maxMessageBytes) {
        WebSocketDecoderConfig last = lastConfig; // immutable and shared: one per server, not per connection
        if (last != null && last.maxFramePayloadLength() == maxMessageBytes) {
            return last;
        }
        last = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
        lastConfig = last;
        return last;
    }

    private static volatile WebSocketDecoderConfig lastConfig;

    /**
     * Completes the WebSocket handshake for {@code req} (the 101 answer, with {@code extraHeaders}) and
     * replaces the HTTP handler {@code ctx} with the frame handlers and {@code application}.
     *
     * @return {@code false} if the client's WebSocket version is unsupported (a 426 was sent)
     */
    public static boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest req, boolean secure,
                                  HttpHeaders extraHeaders, MessageHandler application) {
        int maxMessageBytes = application.maxMessageBytes;
        String url = (secure ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST) + req.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null,
                decoderConfig(maxMessageBytes)).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return false;
        }
        ChannelPipeline p = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req, extraHeaders, ctx.channel().newPromise()).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        // One stateless encoder for every connection instead of the handshaker's own: the hot path
        // writes frames already encoded (EncodedFrames), which pass it with one type check.
        if (p.get("wsencoder") != null) {
            p.replace("wsencoder", "wsencoder", FrameEncoder.INSTANCE);
        }
        p.addAfter(ctx.name(), "ws-app", application);
        p.remove(ctx.handler());
        return true;
    }

    /** Encodes the frames written as objects (close, pong, binary); passes encoded ones through. */
    @ChannelHandler.Sharable
    static final class FrameEncoder extends ChannelOutboundHandlerAdapter {
        static final FrameEncoder INSTANCE = new FrameEncoder();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof WebSocketFrame frame ? EncodedFrames.encode(ctx.alloc(), frame) : msg, promise);
        }
    }

    /**
     * The application's end of a WebSocket connection. Answers pings, drops pongs, completes the closing
     * handshake and maps errors to close codes; complete text and binary messages go to
     * {@link #onMessage}. Once a Close frame has been sent, later data frames are dropped (RFC 6455
     * §5.5.1: "after sending a Close frame, the endpoint MUST NOT send any more data frames"); writes
     * that should obey that go through the channel ({@code channel.write}), which passes {@link #write}.
     * One handler rather than a control handler plus an application handler: a pipeline slot less on
     * every connection.
     *
     * <p>Reassembly and streaming UTF-8 validation are added on demand: clients almost never fragment
     * their messages, and a {@link Utf8FrameValidator} and a {@link WebSocketFrameAggregator} (plus their
     * pipeline slots) on every idle connection cost memory for nothing. An unfragmented text message is
     * validated here, whole; the first fragment installs both handlers just before this one, for good,
     * and they take over (failing fast inside fragments; the aggregator lets control frames between
     * fragments through, RFC 6455 §5.4).
     */
    public abstract static class MessageHandler extends ChannelDuplexHandler {

        private final int maxMessageBytes;
        private boolean fragmentsSeen;
        private boolean closeReceived;
        private boolean closeSent;

        /** @param maxMessageBytes the largest message accepted (frames and reassembled messages) */
        protected MessageHandler(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        /** A complete text or binary message; released after this returns (retain to keep it). */
        protected abstract void onMessage(ChannelHandlerContext ctx, WebSocketFrame message);

        /** The connection failed (its close frame, if any, is on its way); by default it is closed. */
        protected void onFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!fragmentsSeen && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                if (!frame.isFinalFragment()) {
                    // Before this handler, so that their errors (invalid UTF-8, message too big) reach
                    // exceptionCaught below; this first fragment is handed to them directly.
                    ChannelPipeline p = ctx.pipeline();
                    p.addBefore(ctx.name(), "ws-utf8", new Utf8FrameValidator(true));
                    p.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxMessageBytes));
                    fragmentsSeen = true;
                    ChannelHandlerContext validator = p.context("ws-utf8");
                    ((ChannelInboundHandler) validator.handler()).channelRead(validator, msg);
                    return;
                } else if (frame instanceof TextWebSocketFrame && !closeReceived
                        && !ByteBufUtil.isText(frame.content(), StandardCharsets.UTF_8)) {
                    // RFC 6455 §8.1: a text message that is not valid UTF-8 fails the connection (1007).
                    frame.release();
                    if (!closeSent) {
                        closeSent = true;
                        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                    return;
                }
            }
            if (msg instanceof PingWebSocketFrame ping) {
                if (!closeSent) {
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
                } else {
                    ping.release();
                }
            } else if (msg instanceof PongWebSocketFrame pong) {
                pong.release();
            } else if (msg instanceof CloseWebSocketFrame close) {
                // RFC 6455 §5.5.1: answer a Close with a Close (echoing the status code), then close TCP.
                int code = close.statusCode();
                close.release();
                closeReceived = true;
                CloseWebSocketFrame reply = code == -1 ? new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                        : new CloseWebSocketFrame(code, "");
                ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
            } else if (closeReceived || !(msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                ReferenceCountUtil.release(msg);
            } else {
                WebSocketFrame message = (WebSocketFrame) msg;
                try {
                    onMessage(ctx, message);
                } finally {
                    message.release();
                }
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof CloseWebSocketFrame) {
                if (closeSent) {
                    ReferenceCountUtil.release(msg);
                    promise.trySuccess();
                    return;
                }
                closeSent = true;
            } else if (closeSent && (msg instanceof WebSocketFrame || msg instanceof ByteBuf)) {
                // (a ByteBuf is a frame encoded already: EncodedFrames)
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            ctx.write(msg, promise);
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
            if (!closeSent) {
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
            }
            onFailure(ctx, cause);
        }
    }
}
