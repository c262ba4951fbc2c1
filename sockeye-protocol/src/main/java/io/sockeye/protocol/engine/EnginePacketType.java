package io.sockeye.protocol.engine;

/** Engine.IO v4 packet types; the wire form is the single ASCII digit {@link #code()}. */
public enum EnginePacketType {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    private static final EnginePacketType[] VALUES = values();

    public char code() {
        return (char) ('0' + ordinal());
    }

    /** Returns the type for a wire digit, or {@code null} if the character is not one. */
    public static EnginePacketType fromCode(char c) {
        int i = c - '0';
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }
}
