package io.sockeye.core.internal.engine;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

import java.util.List;

/**
 * The WebSocket transport: one Engine.IO packet per frame; text frames carry the typed string,
 * binary frames raw bytes. The network layer reports frames through {@link #onText}/{@link #onBinary}
 * from its own event loop; they are handed to the session's executor here.
 */
public final class WebSocketTransport extends Transport {

    private final WsChannel channel;
    private boolean closed;

    WebSocketTransport(WsChannel channel) {
        this.channel = channel;
    }

    @Override
    String name() {
        return "websocket";
    }

    /** A text frame arrived (any thread). */
    public void onText(String text) {
        run(() -> {
            if (closed) {
                return;
            }
            SockeyeMetrics metrics = session.metrics();
            metrics.engineBytesReceived("websocket", text.length());
            EnginePacket packet;
            try {
                packet = EngineCodec.decodeText(text);
            } catch (ProtocolException e) {
                session.onParseError(this, e);
                return;
            }
            metrics.enginePacketReceived("websocket", packet.type());
            if (packet.type() == EnginePacketType.CLOSE) {
                session.onTransportClosedByClient(this);
                return;
            }
            session.onTransportPacket(this, packet);
        });
    }

    /** A binary frame arrived (any thread). The array is handed over. */
    public void onBinary(byte[] data) {
        run(() -> {
            if (!closed) {
                SockeyeMetrics metrics = session.metrics();
                metrics.engineBytesReceived("websocket", data.length);
                metrics.enginePacketReceived("websocket", EnginePacketType.MESSAGE);
                session.onTransportPacket(this, EngineCodec.decodeBinary(data));
            }
        });
    }

    /** The connection closed or failed (any thread). */
    public void onClosed(boolean error) {
        run(() -> {
            if (!closed) {
                closed = true;
                session.onTransportError(this, error ? "websocket error" : "websocket closed", true);
            }
        });
    }

    private void run(Runnable r) {
        if (session.executor().inEventLoop()) {
            r.run();
        } else {
            try {
                session.executor().execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The server is shutting down and the session's loop is gone: nothing left to tell it.
            }
        }
    }

    /** Writes one packet immediately (used for the upgrade probe). */
    void sendNow(EnginePacket packet) {
        if (!closed) {
            Outbound out = Outbound.of(packet);
            channel.writeText(out);
            channel.flush();
            count(session.metrics(), out);
        }
    }

    @Override
    boolean writable() {
        return !closed;
    }

    @Override
    void send(List<Outbound> packets) {
        SockeyeMetrics metrics = session.metrics();
        for (Outbound p : packets) {
            if (p.isBinary()) {
                channel.writeBinary(p.binary());
            } else {
                channel.writeText(p);
            }
            count(metrics, p);
        }
        channel.flush();
    }

    // After the write: the text frame's bytes exist by then (the channel asked for them), so this never encodes.
    private static void count(SockeyeMetrics metrics, Outbound p) {
        if (!metrics.enabled()) {
            return;
        }
        metrics.enginePacketSent("websocket", p.type);
        metrics.engineBytesSent("websocket", p.isBinary() ? p.binary().length : p.textFrame().length);
    }

    @Override
    boolean networkWritable(long queuedInSession, int highWaterMark) {
        return channel.isWritable();
    }

    @Override
    long pendingBytes() {
        return channel.pendingBytes();
    }

    @Override
    void close(CloseKind kind) {
        if (!closed) {
            closed = true;
            channel.close();
        } else if (kind == CloseKind.FAILED) {
            channel.close();
        }
    }
}
