package io.sockeye.server.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WebSocketInbound;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import io.sockeye.protocol.socket.SocketPacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * One Server-Sent Events subscriber as an Engine.IO session of the standalone namespace: the session's
 * transport is this HTTP response instead of a WebSocket, so the subscriber is an ordinary socket for rooms,
 * presence, limits, metrics ({@code transport="sse"}) and the admin views.
 *
 * <p>The stream plays the client's part of the client protocol on its socket: it connects with the token,
 * then sends {@code subscribe {room, since}} for each room, one after the other, and answers the engine's
 * pings itself. Until every room answered, the HTTP response is not begun: a refusal becomes its status
 * (see {@link SseRequest#refusal}), and the replayed and live events are held. Then the headers go out,
 * {@code sockeye:reset} first when a room could not be caught up, the held events in stream order — with
 * their ids up to the watermark, the earliest position every room's catch-up reached, and without beyond
 * it (a message of a room caught up early may still be on its way) — and a bare {@code id:} with the
 * watermark; from there on each event carries its own offset as its id. Live events reach a socket in
 * stream order, so an id is a position from which every room of the stream resumes.
 *
 * <p>Everything here runs on the connection's event loop, which the session is pinned to.
 */
final class SseStream implements WebSocketChannel {

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    static final String TRANSPORT = "sse";
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeBytes(":\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private enum State { OPENING, CONNECTING, SUBSCRIBING, LIVE, DONE }

    /** An event held during the catch-up, with its place in the stream (an event without offset: its predecessor's). */
    private record Held(ByteBuf body, String offset, long order) {
    }

    private final Channel channel;
    private final SseRequest request;
    private final SseResponse response;
    private WebSocketInbound inbound;
    private State state = State.OPENING;
    private int subscribed;                      // rooms answered so far
    private final List<String> notRecovered = new ArrayList<>();
    private String watermark;                    // the earliest offset the rooms' answers reached
    private List<Held> held = new ArrayList<>();
    private long heldBytes;
    private long heldOrder = -1;                 // the order of the last held event
    private SocketPacketDecoder binaryEvents;    // only for events with binary attachments

    SseStream(Channel channel, SseRequest request, SseResponse response) {
        this.channel = channel;
        this.request = request;
        this.response = response;
    }

    /** Where the engine takes this stream's messages; the end of the HTTP connection is reported there. */
    void bind(WebSocketInbound inbound) {
        this.inbound = inbound;
        channel.closeFuture().addListener(f -> inbound.onClosed(false));
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public String transportName() {
        return TRANSPORT;
    }

    @Override
    public void writeText(OutboundPacket packet) {
        if (state == State.DONE) {
            return;
        }
        EnginePacketType type = packet.type();
        if (type == EnginePacketType.OPEN && state == State.OPENING) {
            state = State.CONNECTING;
            tell("4" + request.connectPacket());
        } else if (type == EnginePacketType.PING) {
            tell("3"); // the engine's heartbeat, answered here; the subscriber sees a comment
            if (state == State.LIVE) {
                channel.write(new DefaultHttpContent(HEARTBEAT.duplicate()));
            }
        } else if (type == EnginePacketType.MESSAGE) {
            message(packet);
        }
    }

    @Override
    public void writeBinary(OutboundPacket packet) {
        if (state == State.DONE || binaryEvents == null || !binaryEvents.awaitingAttachments()) {
            return;
        }
        try {
            SocketPacket complete = binaryEvents.decodeBinary(packet.binary());
            if (complete != null) {
                event(SseEvents.of(complete));
            }
        } catch (ProtocolException e) {
            log.debug("SSE stream {}: unreadable binary attachment: {}", request.address(), e.getMessage());
            binaryEvents.reset();
        }
    }

    private void message(OutboundPacket packet) {
        String text = packet.text();
        if (text.isEmpty()) {
            return;
        }
        try {
            char kind = text.charAt(0);
            if (kind == '2') { // a broadcast's event: its frame is shared with the loop's other streams
                event(SseEvents.shared(packet));
            } else if (kind == '5') {
                if (binaryEvents == null) {
                    binaryEvents = new SocketPacketDecoder();
                }
                binaryEvents.reset();
                binaryEvents.decodeText(text); // complete with the attachments that follow
            } else {
                control(new SocketPacketDecoder().decodeText(text));
            }
        } catch (ProtocolException | IllegalStateException e) { // e.g. an ACK without arguments
            log.debug("SSE stream {}: unreadable packet skipped: {}", request.address(), e.getMessage());
        }
    }

    private void control(SocketPacket packet) {
        SocketPacketType type = packet.type();
        if (type == SocketPacketType.CONNECT && state == State.CONNECTING) {
            state = State.SUBSCRIBING;
            subscribeNext();
        } else if (type == SocketPacketType.CONNECT_ERROR) {
            refuse(SseRequest.refusal(packet.data(), true));
        } else if (type == SocketPacketType.ACK && state == State.SUBSCRIBING && packet.id() == subscribed) {
            answered(packet.args().isEmpty() ? null : packet.args().get(0));
        } else if (type == SocketPacketType.DISCONNECT) {
            close(); // the server disconnected the socket (token expired, kicked): the stream ends
        }
    }

    private void subscribeNext() {
        if (subscribed == request.rooms().size()) {
            goLive();
        } else {
            tell("4" + request.subscribePacket(subscribed));
        }
    }

    private void answered(Object reply) {
        if (!(reply instanceof Map<?, ?> r) || !Boolean.TRUE.equals(r.get("ok"))) {
            refuse(SseRequest.refusal(reply, false));
            return;
        }
        String room = request.rooms().get(subscribed);
        if (request.resuming() && !Boolean.TRUE.equals(r.get("recovered"))) {
            notRecovered.add(room);
        }
        if (r.get("offset") instanceof String offset) {
            watermark = watermark == null ? offset : request.earliest(watermark, offset);
        }
        subscribed++;
        subscribeNext();
    }

    private void goLive() {
        state = State.LIVE;
        boolean reset = request.resetAll() || !notRecovered.isEmpty();
        response.begin(channel, request, reset);
        if (reset) {
            channel.write(new DefaultHttpContent(SseResponse.resetEvent(
                    request.resetAll() ? request.rooms() : notRecovered)));
        }
        // The rooms' catch-ups interleave: in stream order, the events up to the watermark get their ids.
        long limit = watermark == null ? -1 : request.sequence(watermark);
        held.sort(Comparator.comparingLong(Held::order));
        for (Held h : held) {
            if (h.offset() != null && h.order() <= limit) {
                channel.write(new DefaultHttpContent(SseEvents.idLine(h.offset())));
            }
            channel.write(new DefaultHttpContent(h.body()));
        }
        held = null;
        heldBytes = 0;
        if (watermark != null) {
            channel.write(new DefaultHttpContent(Unpooled.copiedBuffer("id: " + watermark + "\n\n",
                    StandardCharsets.UTF_8)));
        }
        channel.flush();
    }

    private void event(SseEvents.Frame frame) {
        if (frame.body() == null) {
            return;
        }
        if (state == State.LIVE) {
            if (frame.offset() != null) {
                channel.write(new DefaultHttpContent(SseEvents.idLine(frame.offset())));
            }
            channel.write(new DefaultHttpContent(frame.body()));
        } else if (held != null) {
            long sequence = frame.offset() == null ? -1 : request.sequence(frame.offset());
            heldOrder = sequence >= 0 ? sequence : heldOrder;
            held.add(new Held(frame.body(), sequence >= 0 ? frame.offset() : null, heldOrder));
            heldBytes += frame.body().readableBytes();
        } else {
            frame.release();
        }
    }

    private void refuse(SseResponse.Refusal refusal) {
        if (state == State.LIVE || state == State.DONE) {
            close();
            return;
        }
        state = State.DONE;
        releaseHeld();
        SseResponse.refuse(channel, refusal);
        inbound.onClosed(false); // the session ends with the refusal, not with the connection
    }

    /** Hands a packet the subscriber "sent" to the engine, after the write that prompted it. */
    private void tell(String text) {
        try {
            channel.eventLoop().execute(() -> inbound.onText(text));
        } catch (RejectedExecutionException e) {
            // the server is stopping: the session ends with its loop
        }
    }

    @Override
    public void flush() {
        if (state == State.LIVE) {
            channel.flush();
        }
    }

    @Override
    public void close() {
        State was = state;
        state = State.DONE;
        releaseHeld();
        if (was == State.LIVE) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        } else if (was != State.DONE) {
            SseResponse.refuse(channel, SseResponse.Refusal.UNAVAILABLE); // closed before it could start
        }
    }

    @Override
    public void abort() {
        state = State.DONE;
        releaseHeld();
        channel.close();
    }

    private void releaseHeld() {
        if (held != null) {
            held.forEach(h -> h.body().release());
            held = null;
            heldBytes = 0;
        }
    }

    @Override
    public void whenClosed(Runnable task) {
        channel.closeFuture().addListener(f -> task.run());
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        return heldBytes + (buf == null ? 0 : buf.totalPendingWriteBytes());
    }
}
