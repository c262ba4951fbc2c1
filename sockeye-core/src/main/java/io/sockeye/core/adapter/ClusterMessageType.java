package io.sockeye.core.adapter;

/**
 * The kinds of {@link ClusterMessage}, with the numbers socket.io's {@code ClusterAdapter} puts in the
 * {@code type} field (see docs/protocol-notes.md, "Cluster messages"), so a backend can produce the
 * Redis sharded/streams formats.
 */
public enum ClusterMessageType {
    INITIAL_HEARTBEAT(1),
    HEARTBEAT(2),
    BROADCAST(3),
    SOCKETS_JOIN(4),
    SOCKETS_LEAVE(5),
    DISCONNECT_SOCKETS(6),
    FETCH_SOCKETS(7),
    FETCH_SOCKETS_RESPONSE(8),
    SERVER_SIDE_EMIT(9),
    SERVER_SIDE_EMIT_RESPONSE(10),
    BROADCAST_CLIENT_COUNT(11),
    BROADCAST_ACK(12),
    ADAPTER_CLOSE(13);

    private static final ClusterMessageType[] BY_CODE = new ClusterMessageType[14];

    static {
        for (ClusterMessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    ClusterMessageType(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The type with this wire number, or {@code null}. */
    public static ClusterMessageType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * Whether this kind is a response sent to one node ({@code publishResponse}) rather than
     * published to all.
     */
    public boolean isResponse() {
        return this == FETCH_SOCKETS_RESPONSE || this == SERVER_SIDE_EMIT_RESPONSE
                || this == BROADCAST_CLIENT_COUNT || this == BROADCAST_ACK;
    }
}
