package io.sockeye.protocol.socket;

/**
 * Socket.IO protocol v5 packet types; the wire form is the single ASCII digit {@link #code()}
 * that starts every packet.
 */
public enum SocketPacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    private static final SocketPacketType[] VALUES = values();

    /** The wire digit, {@code '0'} to {@code '6'}. */
    public char code() {
        return (char) ('0' + ordinal());
    }

    /** Returns the type for a wire digit, or {@code null} if the character is not one. */
    public static SocketPacketType fromCode(char c) {
        int i = c - '0';
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }

    /** True for BINARY_EVENT and BINARY_ACK, whose text part announces binary attachments. */
    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }

    /** True for EVENT and BINARY_EVENT. */
    public boolean isEvent() {
        return this == EVENT || this == BINARY_EVENT;
    }

    /** True for ACK and BINARY_ACK. */
    public boolean isAck() {
        return this == ACK || this == BINARY_ACK;
    }
}
