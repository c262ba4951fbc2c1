package io.sockeye.protocol.engine;

import java.util.Objects;

/**
 * One Engine.IO packet. A packet carries either text ({@link #text()}, possibly empty) or, for a
 * binary message, raw bytes ({@link #binary()}); never both.
 */
public record EnginePacket(EnginePacketType type, String text, byte[] binary) {

    public static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, "", null);
    public static final EnginePacket PONG = new EnginePacket(EnginePacketType.PONG, "", null);
    public static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, "", null);
    public static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, "", null);
    public static final EnginePacket UPGRADE = new EnginePacket(EnginePacketType.UPGRADE, "", null);

    public EnginePacket {
        Objects.requireNonNull(type, "type");
        if (binary != null) {
            if (type != EnginePacketType.MESSAGE) {
                throw new IllegalArgumentException("only message packets carry binary data");
            }
            text = null;
        } else if (text == null) {
            text = "";
        }
    }

    public static EnginePacket text(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    public static EnginePacket message(String text) {
        return new EnginePacket(EnginePacketType.MESSAGE, text, null);
    }

    public static EnginePacket binaryMessage(byte[] data) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, data);
    }

    public boolean isBinary() {
        return binary != null;
    }

    @Override
    public String toString() {
        return isBinary() ? type + "<" + binary.length + " bytes>" : type + "(" + text + ")";
    }
}
