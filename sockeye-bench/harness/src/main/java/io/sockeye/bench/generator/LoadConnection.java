package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sockeye.bench.generator.ConnectSpec.Mode;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection of the generator, after the WebSocket upgrade: answers pings, connects to the
 * main namespace, joins a room, and records what it receives. All state is touched on the channel's
 * event loop only.
 *
 * <p>Socket.IO mode: wait for the Engine.IO open packet, send {@code 40}, wait for the CONNECT reply,
 * then (with a room) emit {@code join} with an ack and wait for it. Raw mode: send {@code J<room>} and
 * wait for {@code ok}. The connection is "ready" at the end of that sequence. msgpack mode: the same, with each
 * Socket.IO packet one binary frame ({@link MsgpackFrames}); the Engine.IO packets stay text. Standalone mode:
 * Socket.IO, joining with the standalone server's {@code subscribe}. SSE mode: no WebSocket; the
 * {@link SseSubscriber} before this handler reads the stream and reports to it.
 */
final class LoadConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** Called once per connection: null when it became ready, else the failure reason. */
    interface Outcome {
        void done(LoadConnection connection, String failure);
    }

    private enum State { UPGRADING, AWAIT_OPEN, AWAIT_CONNECT, JOINING, READY, FAILED }

    private final Generator generator;
    private final ConnectSpec spec;
    private final Outcome outcome;
    private final long startNanos;
    private final boolean msgpack;
    private State state = State.UPGRADING;
    private Channel channel;
    private long nextAckId;
    private long pendingAckId = -1;
    private long echoSentNanos;
    private volatile boolean echoOutstanding;
    /** Set while this publisher waits for the acks of its publishes ({@link Generator#publishAcked}). */
    private AckListener publishAcks;
    /** Reported once, though a timeout may be reported from outside the event loop. */
    private final AtomicBoolean reported = new AtomicBoolean();

    LoadConnection(Generator generator, ConnectSpec spec, Outcome outcome) {
        this.generator = generator;
        this.spec = spec;
        this.outcome = outcome;
        this.startNanos = System.nanoTime();
        this.msgpack = spec.mode() == Mode.SOCKET_IO_MSGPACK;
    }

    long startNanos() {
        return startNanos;
    }

    Channel channel() {
        return channel;
    }

    ConnectSpec spec() {
        return spec;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (state == State.FAILED) {
            ctx.close(); // given up on (timeout) before the channel was even set up
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            if (spec.mode() == Mode.RAW) {
                if (joinsRoom()) {
                    state = State.JOINING;
                    ctx.writeAndFlush(new TextWebSocketFrame("J" + spec.room()));
                } else {
                    ready();
                }
            } else {
                state = State.AWAIT_OPEN;
            }
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("websocket handshake timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (msgpack && frame instanceof BinaryWebSocketFrame) {
            readMsgpack(ctx, frame.content());
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return; // none of the peers sends binary frames in these scenarios
        }
        ByteBuf content = frame.content();
        if (spec.mode() == Mode.RAW) {
            readRaw(content);
        } else {
            readSocketIo(ctx, content);
        }
    }

    private void readRaw(ByteBuf content) {
        if (publishAcks != null) {
            publishAcks.acked(); // the raw peer answers an acknowledged publish with "A"
        } else if (state == State.JOINING) {
            ready();
        } else if (echoOutstanding) {
            echoReplied();
        } else {
            received(Frames.timestamp(content));
        }
    }

    private void readSocketIo(ChannelHandlerContext ctx, ByteBuf content) {
        Frames.Header h = Frames.header(content);
        if (h == null) {
            return;
        }
        switch (h.engineType()) {
            case Frames.EIO_PING -> ctx.writeAndFlush(new TextWebSocketFrame(Frames.PONG));
            case Frames.EIO_OPEN -> {
                if (state != State.AWAIT_OPEN) {
                    fail("unexpected open packet");
                    return;
                }
                try {
                    OpenPacket.parse(content.toString(StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    fail("bad open packet");
                    return;
                }
                state = State.AWAIT_CONNECT;
                ctx.writeAndFlush(msgpack ? binary(MsgpackFrames.connect()) : new TextWebSocketFrame(Frames.connect("/")));
            }
            case Frames.EIO_CLOSE -> ctx.close();
            case Frames.EIO_MESSAGE -> {
                if (msgpack) {
                    generator.protocolError(); // a text Socket.IO packet on a msgpack connection
                } else {
                    readSocketIoPacket(ctx, h.socketType(), h.ackId(), content);
                }
            }
            default -> { } // noop, pong, upgrade: nothing to do over a plain WebSocket
        }
    }

    /** A msgpack packet: deliveries go straight to their timestamp; the rest as in JSON mode. */
    private void readMsgpack(ChannelHandlerContext ctx, ByteBuf content) {
        MsgpackFrames.Packet p = MsgpackFrames.read(content);
        if (p == null || p.type() < 0 || p.type() > 4) {
            generator.protocolError();
        } else if (p.type() == Frames.SIO_EVENT - '0') {
            received(p.timestamp());
        } else {
            readSocketIoPacket(ctx, (char) ('0' + p.type()), p.ackId(), content);
        }
    }

    private void readSocketIoPacket(ChannelHandlerContext ctx, char socketType, long ackId, ByteBuf content) {
        switch (socketType) {
            case Frames.SIO_EVENT -> received(Frames.timestamp(content));
            case Frames.SIO_ACK -> {
                if (publishAcks != null) {
                    publishAcks.acked();
                    return;
                }
                if (ackId != pendingAckId) {
                    if (standalonePublisher()) {
                        // The reply to a paced publish (writePublish): nobody waits for it, but a refusal is counted.
                        if (Frames.refusalCode(content) != null) {
                            generator.protocolError();
                        }
                        return;
                    }
                    generator.protocolError();
                    return;
                }
                pendingAckId = -1;
                if (state == State.JOINING) {
                    ready();
                } else if (echoOutstanding) {
                    String refusal = Frames.refusalCode(content);
                    if (refusal != null) {
                        generator.echoRefused(refusal); // the standalone server's {ok: false, error}: counted apart
                    }
                    echoReplied();
                }
            }
            case Frames.SIO_CONNECT -> {
                if (state != State.AWAIT_CONNECT) {
                    generator.protocolError();
                    return;
                }
                if (joinsRoom()) {
                    state = State.JOINING;
                    pendingAckId = nextAckId++;
                    String join = spec.mode() == Mode.STANDALONE ? "subscribe" : "join";
                    ctx.writeAndFlush(msgpack ? binary(MsgpackFrames.event(pendingAckId, join, spec.room()))
                            : new TextWebSocketFrame(Frames.event("/", pendingAckId, join, Frames.jsonString(spec.room()))));
                } else {
                    ready();
                }
            }
            case Frames.SIO_CONNECT_ERROR -> fail("connect_error");
            case Frames.SIO_DISCONNECT -> ctx.close();
            default -> generator.protocolError();
        }
    }

    private void received(long sent) {
        if (sent > 0) {
            generator.recordDelivery(sent, EpochClock.nanos() - sent);
        } else {
            generator.protocolError();
        }
    }

    /** An SSE stream was answered {@code 200}: the server subscribed it ({@link SseSubscriber}). */
    void streamOpened() {
        ready();
    }

    /** One {@code data:} line of an SSE stream, carrying the send timestamp {@code sent} (or -1). */
    void streamed(long sent) {
        if (state == State.READY) {
            received(sent);
        } else {
            generator.protocolError();
        }
    }

    private boolean standalonePublisher() {
        return spec.mode() == Mode.STANDALONE && spec.role() == ConnectSpec.Role.PUBLISHER;
    }

    /** Subscribers join their room; the publisher only names it in what it publishes. */
    private boolean joinsRoom() {
        return spec.room() != null && spec.role() != ConnectSpec.Role.PUBLISHER;
    }

    // ---- echo (closed loop: one request in flight per connection) ----

    /** Sends the next echo request; called on the event loop. */
    void sendEcho(Payloads payloads) {
        if (state != State.READY || !channel.isActive()) {
            return;
        }
        echoOutstanding = true;
        echoSentNanos = System.nanoTime();
        if (spec.mode() == Mode.RAW) {
            channel.writeAndFlush(text("E" + payloads.json(EpochClock.nanos())));
        } else {
            pendingAckId = nextAckId++;
            channel.writeAndFlush(event(pendingAckId, payloads.event(), payloads, EpochClock.nanos()));
        }
    }

    /** One Socket.IO EVENT whose argument is the payload sent at {@code epochNanos}, in this connection's format. */
    private WebSocketFrame event(long ackId, String name, Payloads payloads, long epochNanos) {
        return msgpack ? binary(MsgpackFrames.event(ackId, name, payloads.map(epochNanos)))
                : text(Frames.event("/", ackId, name, payloads.json(epochNanos)));
    }

    private TextWebSocketFrame text(String text) {
        return new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text));
    }

    private static BinaryWebSocketFrame binary(byte[] packet) {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packet));
    }

    private void echoReplied() {
        echoOutstanding = false;
        Payloads next = generator.echoReplied(System.nanoTime() - echoSentNanos);
        if (next != null) {
            sendEcho(next);
        }
    }

    boolean echoOutstanding() {
        return echoOutstanding;
    }

    // ---- publish (the publisher connection of a fan-out) ----

    /** Writes one publish request of the payload sent at {@code epochNanos} without flushing; called on the event loop. */
    void writePublish(Payloads payloads, long epochNanos) {
        // The standalone server ignores a publish that asks for no ack, so that one asks and its reply is dropped.
        WebSocketFrame frame = spec.mode() == Mode.RAW ? text("P" + spec.room() + "\n" + payloads.json(epochNanos))
                : event(standalonePublisher() ? nextAckId++ : -1, "publish", payloads, epochNanos);
        channel.write(frame, channel.voidPromise());
    }

    /** Writes one publish that asks for an ack, without flushing; called on the event loop. */
    void writeAckedPublish(Payloads payloads, long epochNanos) {
        WebSocketFrame frame = spec.mode() == Mode.RAW ? text("Q" + spec.room() + "\n" + payloads.json(epochNanos))
                : event(nextAckId++, "publish", payloads, epochNanos);
        channel.write(frame, channel.voidPromise());
    }

    /** Receives this publisher's acks (null: none expected); set on the event loop. */
    void publishAcks(AckListener listener) {
        this.publishAcks = listener;
    }

    /** Told of each ack of an acknowledged publish, on the event loop. */
    interface AckListener {
        void acked();
    }

    // ---- lifecycle ----

    private void ready() {
        if (state == State.FAILED || state == State.READY) {
            return;
        }
        state = State.READY;
        if (reported.compareAndSet(false, true)) {
            outcome.done(this, null);
        }
    }

    /** Marks the connection failed (once) and closes it. */
    void fail(String reason) {
        if (state == State.FAILED) {
            return;
        }
        boolean wasReady = state == State.READY;
        state = State.FAILED;
        if (wasReady) {
            generator.connectionLost(this, reason);
        } else if (reported.compareAndSet(false, true)) {
            outcome.done(this, reason);
        }
        if (channel != null) {
            channel.close();
        }
    }

    boolean isReady() {
        return state == State.READY;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state == State.READY) {
            state = State.FAILED;
            generator.connectionLost(this, "closed");
        } else {
            fail("closed before ready");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(Generator.describe(cause));
        ctx.close();
    }
}
