package io.sockeye.core.internal.engine;

import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

import java.nio.charset.StandardCharsets;

/**
 * A packet queued for a session. Text messages may carry the WebSocket frame bytes already encoded
 * (shared by every recipient of a broadcast), so the transport never re-encodes them.
 */
public final class Outbound {
    final EnginePacketType type;
    final String text;
    final byte[] binary;
    private byte[] frame;

    private Outbound(EnginePacketType type, String text, byte[] binary, byte[] frame) {
        this.type = type;
        this.text = text;
        this.binary = binary;
        this.frame = frame;
    }

    static Outbound of(EnginePacket p) {
        return new Outbound(p.type(), p.text(), p.binary(), null);
    }

    static Outbound message(String text, byte[] frame) {
        if (frame == null) {
            return new Outbound(EnginePacketType.MESSAGE, text, null, null);
        }
        // A broadcast: every recipient on this loop gets the same (immutable, frame already set) object.
        Outbound[] slot = LAST_SHARED.get();
        Outbound last = slot[0];
        if (last != null && last.frame == frame && last.text == text) {
            return last;
        }
        Outbound created = new Outbound(EnginePacketType.MESSAGE, text, null, frame);
        slot[0] = created;
        return created;
    }

    // The last broadcast packet of this thread (an event loop writes one broadcast to its recipients in a row).
    private static final io.netty.util.concurrent.FastThreadLocal<Outbound[]> LAST_SHARED =
            new io.netty.util.concurrent.FastThreadLocal<>() {
                @Override
                protected Outbound[] initialValue() {
                    return new Outbound[1];
                }
            };

    static Outbound binary(byte[] data) {
        return new Outbound(EnginePacketType.MESSAGE, null, data, null);
    }

    public boolean isBinary() {
        return binary != null;
    }

    public byte[] binary() {
        return binary;
    }

    /** UTF-8 bytes of the text packet as a WebSocket text frame carries it (type digit + data). */
    public byte[] textFrame() {
        byte[] f = frame;
        if (f == null) {
            f = (type.code() + text).getBytes(StandardCharsets.UTF_8);
            frame = f;
        }
        return f;
    }

    /** The packet as a long-polling payload record. */
    String pollingRecord() {
        if (binary != null) {
            return "b" + java.util.Base64.getEncoder().encodeToString(binary);
        }
        return type.code() + text;
    }

    /** Approximate size for buffer accounting. */
    long size() {
        return binary != null ? binary.length : text.length() + 1;
    }
}
