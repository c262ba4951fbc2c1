package io.sockeye.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
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
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sockeye.netty.internal.DeflateCodec;
import io.sockeye.netty.internal.EncodedFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;

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

    private static final Logger log = LoggerFactory.getLogger(WebSocketPipeline.class);

    /** RFC 7692 §6: RSV1 marks a compressed message (as Netty reports the bits: RSV1 = 4, RSV2 = 2, RSV3 = 1). */
    private static final int RSV1 = 0x4;

    private WebSocketPipeline() {
    }

    /** Decoder settings: masked client frames, no extensions, protocol violations close with the RFC code. */
    public static WebSocketDecoderConfig decoderConfig(int maxMessageBytes) {
        return decoderConfig(maxMessageBytes, false);
    }

    /**
     * Decoder settings as above; with {@code extensions} (permessage-deflate negotiated) the decoder lets
     * RSV bits through and {@link MessageHandler} enforces RFC 7692's rules on them.
     */
    static WebSocketDecoderConfig decoderConfig(int maxMessageBytes, boolean extensions) {
        // Immutable and shared: one per server and kind, not per connection.
        WebSocketDecoderConfig last = extensions ? lastExtensionConfig : lastConfig;
        if (last != null && last.maxFramePayloadLength() == maxMessageBytes) {
            return last;
        }
        last = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageBytes)
                .allowExtensions(extensions)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(true)
                .build();
        if (extensions) {
            lastExtensionConfig = last;
        } else {
            lastConfig = last;
        }
        return last;
    }

    private static volatile WebSocketDecoderConfig lastConfig;
    private static volatile WebSocketDecoderConfig lastExtensionConfig;

    /**
     * Completes the WebSocket handshake for {@code req} (the 101 answer, with {@code extraHeaders}) and
     * replaces the HTTP handler {@code ctx} with the frame handlers and {@code application}.
     *
     * @return {@code false} if the client's WebSocket version is unsupported (a 426 was sent)
     */
    public static boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest req, boolean secure,
                                  HttpHeaders extraHeaders, MessageHandler application) {
        return upgrade(ctx, req, secure, extraHeaders, PerMessageDeflate.DISABLED, application);
    }

    /**
     * As {@link #upgrade(ChannelHandlerContext, FullHttpRequest, boolean, HttpHeaders, MessageHandler)}, and
     * negotiates permessage-deflate with {@code deflate}'s settings when the client offers it acceptably.
     */
    public static boolean upgrade(ChannelHandlerContext ctx, FullHttpRequest req, boolean secure,
                                  HttpHeaders extraHeaders, PerMessageDeflate deflate, MessageHandler application) {
        int maxMessageBytes = application.maxMessageBytes;
        String url = (secure ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST) + req.uri();
        String accepted = deflate.negotiate(req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS));
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null,
                decoderConfig(maxMessageBytes, accepted != null)).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return false;
        }
        HttpHeaders headers = extraHeaders;
        if (accepted != null) {
            headers = new DefaultHttpHeaders().add(extraHeaders).add(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, accepted);
            application.deflate = deflate;
        }
        ChannelPipeline p = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req, headers, ctx.channel().newPromise()).addListener(f -> {
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
     * RFC 7692 §6.1 and RFC 6455 §5.2 on a connection with permessage-deflate: RSV1 only on the first frame
     * of a data message, RSV2 and RSV3 never. Returns what is wrong with {@code frame}, or {@code null}.
     */
    static String deflateViolation(WebSocketFrame frame) {
        int rsv = frame.rsv();
        if (rsv == 0) {
            return null;
        } else if ((rsv & ~RSV1) != 0) {
            return "RSV2 or RSV3 set: no extension defines them";
        } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            return null;
        }
        return frame instanceof ContinuationWebSocketFrame ? "RSV1 set on a continuation frame"
                : "RSV1 set on a control frame (control frames are never compressed)";
    }

    /**
     * Checks {@link #deflateViolation} ahead of the reassembly of a deflate connection that fragments its
     * messages (the aggregator keeps only the first frame's bits). Stateless, so shared.
     */
    @ChannelHandler.Sharable
    static final class DeflateFrameRules extends ChannelInboundHandlerAdapter {
        static final DeflateFrameRules INSTANCE = new DeflateFrameRules();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String violation = msg instanceof WebSocketFrame frame ? deflateViolation(frame) : null;
            if (violation != null) {
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, violation));
                return;
            }
            ctx.fireChannelRead(msg);
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
        // Set by upgrade when permessage-deflate was negotiated; null otherwise.
        PerMessageDeflate deflate;
        private boolean fragmentsSeen;
        private boolean closeReceived;
        private boolean closeSent;

        /** @param maxMessageBytes the largest message accepted (frames and reassembled messages) */
        protected MessageHandler(int maxMessageBytes) {
            this.maxMessageBytes = maxMessageBytes;
        }

        /** A complete text or binary message; released after this returns (retain to keep it). */
        protected abstract void onMessage(ChannelHandlerContext ctx, WebSocketFrame message);

        /**
         * The threshold (bytes) from which messages to this connection are sent compressed, or -1 when
         * permessage-deflate was not negotiated.
         */
        protected final int deflateThreshold() {
            PerMessageDeflate d = deflate;
            return d == null ? -1 : d.threshold();
        }

        /** A message to this connection was compressed (a frame written as an object, not one prepared). */
        protected void onCompressed() {
        }

        /** The connection failed (its close frame, if any, is on its way); by default it is closed. */
        protected void onFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (deflate != null && !fragmentsSeen && msg instanceof WebSocketFrame frame) {
                String violation = deflateViolation(frame);
                if (violation != null) {
                    frame.release();
                    exceptionCaught(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, violation));
                    return;
                }
            }
            if (!fragmentsSeen && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                if (!frame.isFinalFragment()) {
                    // Before this handler, so that their errors (invalid UTF-8, message too big) reach
                    // exceptionCaught below; this first fragment is handed to them directly. A deflate
                    // connection's fragments are compressed bytes: its text is validated once inflated.
                    ChannelPipeline p = ctx.pipeline();
                    String first = deflate == null ? "ws-utf8" : "ws-deflate-rules";
                    p.addBefore(ctx.name(), first, deflate == null ? new Utf8FrameValidator(true) : DeflateFrameRules.INSTANCE);
                    p.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxMessageBytes));
                    fragmentsSeen = true;
                    ChannelHandlerContext head = p.context(first);
                    ((ChannelInboundHandler) head.handler()).channelRead(head, msg);
                    return;
                } else if (deflate == null && frame instanceof TextWebSocketFrame && !closeReceived
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
                WebSocketFrame message = deflate == null ? (WebSocketFrame) msg : inflated(ctx, (WebSocketFrame) msg);
                if (message == null) {
                    return;
                }
                try {
                    onMessage(ctx, message);
                } finally {
                    message.release();
                }
            }
        }

        /**
         * A deflate connection's complete message, inflated if compressed (RSV1) and its text validated; or
         * {@code null} once the connection is failing: 1009 past the message size limit (a compression
         * bomb stops there), 1007 for data that is not DEFLATE or text that is not UTF-8.
         */
        private WebSocketFrame inflated(ChannelHandlerContext ctx, WebSocketFrame frame) {
            WebSocketFrame message = frame;
            if ((frame.rsv() & RSV1) != 0) {
                ByteBuf content;
                try {
                    content = DeflateCodec.inflate(ctx.alloc(), frame.content(), maxMessageBytes);
                } catch (DeflateCodec.TooBigException | DataFormatException e) {
                    log.debug("closing {}: compressed message refused: {}", ctx.channel().remoteAddress(), e.getMessage());
                    exceptionCaught(ctx, new CorruptedWebSocketFrameException(e instanceof DataFormatException
                            ? WebSocketCloseStatus.INVALID_PAYLOAD_DATA : WebSocketCloseStatus.MESSAGE_TOO_BIG, e.getMessage()));
                    return null;
                } finally {
                    frame.release();
                }
                message = frame instanceof TextWebSocketFrame ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content);
            }
            if (message instanceof TextWebSocketFrame && !ByteBufUtil.isText(message.content(), StandardCharsets.UTF_8)) {
                // RFC 6455 §8.1, on the inflated text (RFC 7692 §6: the extension applies before it).
                message.release();
                exceptionCaught(ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
                        "invalid UTF-8"));
                return null;
            }
            return message;
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
            } else if (deflate != null && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                if (frame.isFinalFragment() && frame.rsv() == 0 && frame.content().readableBytes() >= deflate.threshold()) {
                    byte[] compressed = DeflateCodec.deflate(ByteBufUtil.getBytes(frame.content()));
                    boolean text = frame instanceof TextWebSocketFrame;
                    frame.release();
                    onCompressed();
                    ctx.write(EncodedFrames.encodeCompressed(ctx.alloc(), text, compressed), promise);
                    return;
                }
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
