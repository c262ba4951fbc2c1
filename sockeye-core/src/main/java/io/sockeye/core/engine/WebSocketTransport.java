package io.sockeye.core.engine;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WebSocketInbound;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

import java.util.List;

/**
 * The WebSocket transport: one Engine.IO packet per frame; text frames carry the typed string,
 * binary frames raw bytes. The transport reports messages through {@link #onText}/{@link #onBinary}
 * from its own event loop; they are handed to the session's executor here.
 */
final class WebSocketTransport extends Transport implements WebSocketInbound {

    private final WebSocketChannel channel;
    private final String name;
    private boolean closed;

    WebSocketTransport(WebSocketChannel channel) {
        this.channel = channel;
        this.name = channel.transportName();
    }

    @Override
    String name() {
        return name;
    }

    /** A text message arrived (any thread). */
    @Override
    public void onText(String text) {
        run(() -> {
            if (closed) {
                return;
            }
            SockeyeMetrics metrics = session.metrics();
            metrics.engineBytesReceived(name, text.length());
            EnginePacket packet;
            try {
                packet = EngineCodec.decodeText(text);
            } catch (ProtocolException e) {
                session.onParseError(this, e);
                return;
            }
            metrics.enginePacketReceived(name, packet.type());
            if (packet.type() == EnginePacketType.CLOSE) {
                session.onTransportClosedByClient(this);
                return;
            }
            session.onTransportPacket(this, packet);
        });
    }

    /** A binary message arrived (any thread). The array is handed over. */
    @Override
    public void onBinary(byte[] data) {
        run(() -> {
            if (!closed) {
                SockeyeMetrics metrics = session.metrics();
                metrics.engineBytesReceived(name, data.length);
                metrics.enginePacketReceived(name, EnginePacketType.MESSAGE);
                session.onTransportPacket(this, EngineCodec.decodeBinary(data));
            }
        });
    }

    /** The connection closed or failed (any thread). */
    @Override
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
            OutboundPacket out = OutboundPacket.of(packet);
            try {
                channel.writeText(out);
                channel.flush();
                count(session.metrics(), out);
            } finally {
                out.release();
            }
        }
    }

    @Override
    boolean writable() {
        return !closed;
    }

    @Override
    void send(List<OutboundPacket> packets) {
        SockeyeMetrics metrics = session.metrics();
        try {
            for (int i = 0, n = packets.size(); i < n; i++) {
                OutboundPacket p = packets.get(i);
                if (p.isBinary()) {
                    channel.writeBinary(p);
                } else {
                    channel.writeText(p);
                }
                count(metrics, p);
            }
            channel.flush();
        } finally {
            SessionWriteBuffer.releaseAll(packets);
        }
    }

    // After the write: the text frame's bytes exist by then (the channel asked for them), so this never encodes.
    private void count(SockeyeMetrics metrics, OutboundPacket p) {
        if (!metrics.enabled()) {
            return;
        }
        metrics.enginePacketSent(name, p.type());
        metrics.engineBytesSent(name, p.isBinary() ? p.binary().length : p.utf8().length);
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
    boolean memoryPressure() {
        return channel.memoryPressure();
    }

    @Override
    void whenReleased(Runnable task) {
        channel.whenClosed(task);
    }

    @Override
    void close(CloseKind kind) {
        if (kind == CloseKind.DISCARD) {
            closed = true;
            channel.abort();
        } else if (!closed) {
            closed = true;
            channel.close();
        } else if (kind == CloseKind.FAILED) {
            channel.close();
        }
    }
}
