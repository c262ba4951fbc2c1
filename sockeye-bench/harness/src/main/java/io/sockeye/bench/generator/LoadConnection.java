package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
 * wait for {@code ok}. The connection is "ready" at the end of that sequence.
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
            received(content);
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
                ctx.writeAndFlush(new TextWebSocketFrame(Frames.connect("/")));
            }
            case Frames.EIO_CLOSE -> ctx.close();
            case Frames.EIO_MESSAGE -> readSocketIoPacket(ctx, h, content);
            default -> { } // noop, pong, upgrade: nothing to do over a plain WebSocket
        }
    }

    private void readSocketIoPacket(ChannelHandlerContext ctx, Frames.Header h, ByteBuf content) {
        switch (h.socketType()) {
            case Frames.SIO_EVENT -> received(content);
            case Frames.SIO_ACK -> {
                if (publishAcks != null) {
                    publishAcks.acked();
                    return;
                }
                if (h.ackId() != pendingAckId) {
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
                    ctx.writeAndFlush(new TextWebSocketFrame(
                            Frames.event("/", pendingAckId, "join", Frames.jsonString(spec.room()))));
                } else {
                    ready();
                }
            }
            case Frames.SIO_CONNECT_ERROR -> fail("connect_error");
            case Frames.SIO_DISCONNECT -> ctx.close();
            default -> generator.protocolError();
        }
    }

    private void received(ByteBuf content) {
        long sent = Frames.timestamp(content);
        if (sent > 0) {
            generator.recordDelivery(sent, EpochClock.nanos() - sent);
        } else {
            generator.protocolError();
        }
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
        String json = payloads.json(EpochClock.nanos());
        String text;
        if (spec.mode() == Mode.RAW) {
            text = "E" + json;
        } else {
            pendingAckId = nextAckId++;
            text = Frames.event("/", pendingAckId, payloads.event(), json);
        }
        channel.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
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

    /** Writes one publish request without flushing; called on the event loop. */
    void writePublish(String payloadJson) {
        String text = spec.mode() == Mode.RAW
                ? "P" + spec.room() + "\n" + payloadJson
                : Frames.event("/", -1, "publish", payloadJson);
        channel.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

    /** Writes one publish that asks for an ack, without flushing; called on the event loop. */
    void writeAckedPublish(String payloadJson) {
        String text = spec.mode() == Mode.RAW
                ? "Q" + spec.room() + "\n" + payloadJson
                : Frames.event("/", nextAckId++, "publish", payloadJson);
        channel.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
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
