package io.sockeye.core.engine;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.HttpExchange;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WireVariant;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

import java.util.List;

/**
 * HTTP long-polling: a GET is parked until there is something to send; a POST carries packets from the
 * client. At most one GET and one POST may be in flight (engine.io {@code transports/polling.ts}).
 */
final class PollingTransport extends Transport {

    /** A packet's record in a polling payload: built once per shared packet, for every polling recipient. */
    static final WireVariant<String> RECORD = WireVariant.declare("polling record", record -> { });

    private HttpExchange pendingGet;
    private boolean closed;
    private boolean discarded;
    private Runnable onReleased; // whenReleased tasks: run at the close, or handed to the WebSocket upgraded to

    @Override
    String name() {
        return "polling";
    }

    boolean discarded() {
        return discarded;
    }

    /** Handles a GET (on the session executor). */
    void onGet(HttpExchange exchange) {
        if (closed || discarded) {
            exchange.sendError(new EngineError.Rejection(EngineError.BAD_REQUEST));
            return;
        }
        // Spec: "the server MUST close the session if a second GET arrives while one is pending."
        if (pendingGet != null) {
            exchange.sendStatus(400);
            session.onTransportError(this, "overlap from client", false);
            return;
        }
        pendingGet = exchange;
        exchange.whenAborted(() -> session.executor().execute(() -> {
            if (pendingGet == exchange) {
                pendingGet = null;
                session.onTransportError(this, "poll connection closed prematurely", true);
            }
        }));
        session.onTransportDrain(this);
    }

    /** Handles a POST body (on the session executor). */
    void onPost(String body, HttpExchange exchange) {
        if (closed || discarded) {
            exchange.sendError(new EngineError.Rejection(EngineError.BAD_REQUEST));
            return;
        }
        SockeyeMetrics metrics = session.metrics();
        metrics.engineBytesReceived("polling", body.length());
        List<EnginePacket> packets;
        try {
            packets = EngineCodec.decodePayload(body);
        } catch (ProtocolException e) {
            exchange.sendStatus(400);
            session.onParseError(this, e);
            return;
        }
        exchange.sendOk();
        for (EnginePacket packet : packets) {
            metrics.enginePacketReceived("polling", packet.type());
            if (packet.type() == EnginePacketType.CLOSE) {
                session.onTransportClosedByClient(this);
                return;
            }
            session.onTransportPacket(this, packet);
            if (closed) {
                return;
            }
        }
    }

    /** Answers a parked GET with a noop, used while an upgrade is in progress. */
    void sendNoopIfParked() {
        if (pendingGet != null) {
            send(List.of(OutboundPacket.of(EnginePacket.NOOP)));
        }
    }

    /** The session moved to {@code next}: release a parked GET and refuse further requests. */
    void discard(Transport next) {
        sendNoopIfParked();
        discarded = true;
        if (onReleased != null) {
            next.whenReleased(onReleased);
            onReleased = null;
        }
    }

    @Override
    void whenReleased(Runnable task) {
        if (closed) {
            task.run();
            return;
        }
        Runnable earlier = onReleased;
        onReleased = earlier == null ? task : () -> {
            earlier.run();
            task.run();
        };
    }

    @Override
    boolean writable() {
        return pendingGet != null && !closed;
    }

    @Override
    void send(List<OutboundPacket> packets) {
        HttpExchange ex = pendingGet;
        pendingGet = null;
        String payload;
        try {
            payload = payload(packets, session.metrics());
        } finally {
            SessionWriteBuffer.releaseAll(packets);
        }
        ex.sendPayload(payload);
    }

    private static String payload(List<OutboundPacket> packets, SockeyeMetrics metrics) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                sb.append(EngineCodec.RECORD_SEPARATOR);
            }
            OutboundPacket packet = packets.get(i);
            String record = packet.prepared(RECORD);
            if (record == null) {
                record = packet.hasOtherHolders() ? packet.prepare(RECORD, packet.pollingRecord()) : packet.pollingRecord();
            }
            sb.append(record);
            metrics.enginePacketSent("polling", packet.type());
        }
        metrics.engineBytesSent("polling", sb.length());
        return sb.toString();
    }

    @Override
    boolean networkWritable(long queuedInSession, int highWaterMark) {
        return queuedInSession < highWaterMark;
    }

    @Override
    long pendingBytes() {
        return 0;
    }

    @Override
    void close(CloseKind kind) {
        if (closed) {
            return;
        }
        if (pendingGet != null && kind != CloseKind.FAILED) {
            send(List.of(OutboundPacket.of(kind == CloseKind.CLIENT ? EnginePacket.NOOP : EnginePacket.CLOSE)));
        }
        closed = true;
        Runnable released = onReleased;
        onReleased = null;
        if (released != null) {
            released.run();
        }
    }
}
