package io.sockeye.core.adapter;

import io.sockeye.protocol.socket.SocketPacket;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code data} of a {@link ClusterMessage}, one record per {@link ClusterMessageType}. Field
 * names follow socket.io's {@code ClusterMessage} so that a codec maps them one to one
 * (e.g. {@code {"packet":…,"opts":…,"requestId":…}} for a broadcast).
 *
 * <p>Values inside ({@code packet} data, handshakes, socket data, replies) are whatever the sender
 * had; a byte-moving backend's codec turns them into JSON/msgpack values on the way.
 */
public sealed interface ClusterPayload {

    ClusterMessageType type();

    /** A node announces itself on start; every other node answers with a {@link Heartbeat}. */
    record InitialHeartbeat() implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.INITIAL_HEARTBEAT;
        }
    }

    /** "I am still here", sent every heartbeat interval. */
    record Heartbeat() implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.HEARTBEAT;
        }
    }

    /** A node's adapter closed: forget it at once instead of waiting for its heartbeat to time out. */
    record AdapterClose() implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.ADAPTER_CLOSE;
        }
    }

    /**
     * A broadcast; with {@code requestId} (non-null) a broadcast with acks whose counts and acks go
     * back to the sender.
     */
    record Broadcast(SocketPacket packet, BroadcastOptions opts, String requestId) implements ClusterPayload {
        public Broadcast {
            Objects.requireNonNull(packet, "packet");
            Objects.requireNonNull(opts, "opts");
        }

        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST;
        }
    }

    /** {@code io.socketsJoin(rooms)} on the matched sockets. */
    record SocketsJoin(BroadcastOptions opts, Set<String> rooms) implements ClusterPayload {
        public SocketsJoin {
            rooms = Set.copyOf(rooms);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SOCKETS_JOIN;
        }
    }

    /** {@code io.socketsLeave(rooms)} on the matched sockets. */
    record SocketsLeave(BroadcastOptions opts, Set<String> rooms) implements ClusterPayload {
        public SocketsLeave {
            rooms = Set.copyOf(rooms);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.SOCKETS_LEAVE;
        }
    }

    /** {@code io.disconnectSockets(close)} on the matched sockets. */
    record DisconnectSockets(BroadcastOptions opts, boolean close) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.DISCONNECT_SOCKETS;
        }
    }

    /** Asks every node for the details of its matched sockets. */
    record FetchSockets(String requestId, BroadcastOptions opts) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.FETCH_SOCKETS;
        }
    }

    /** One node's answer to {@link FetchSockets}. */
    record FetchSocketsResponse(String requestId, List<SocketDetails> sockets) implements ClusterPayload {
        public FetchSocketsResponse {
            sockets = List.copyOf(sockets);
        }

        public ClusterMessageType type() {
            return ClusterMessageType.FETCH_SOCKETS_RESPONSE;
        }
    }

    /** {@code [event, ...args]} for the other nodes; {@code requestId} non-null when a reply is wanted. */
    record ServerSideEmit(String requestId, List<Object> packet) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.SERVER_SIDE_EMIT;
        }
    }

    /** One node's reply to a {@link ServerSideEmit} with {@code requestId}. */
    record ServerSideEmitResponse(String requestId, Object packet) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE;
        }
    }

    /** How many local clients a node wrote a broadcast with acks to. */
    record BroadcastClientCount(String requestId, int clientCount) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST_CLIENT_COUNT;
        }
    }

    /** One client's ack of a broadcast with acks (its first argument, as in socket.io). */
    record BroadcastAck(String requestId, Object packet) implements ClusterPayload {
        public ClusterMessageType type() {
            return ClusterMessageType.BROADCAST_ACK;
        }
    }
}
