package io.sockeye.adapter.nats.internal;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessageType;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.AdapterClose;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.Heartbeat;
import io.sockeye.core.adapter.ClusterPayload.InitialHeartbeat;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code data} of a decoded cluster message into its {@link ClusterPayload}, checking each
 * field's kind and naming the field when something is off (a message from a foreign or newer node must
 * fail clearly, never half-apply).
 */
final class TreeReader {

    private TreeReader() {
    }

    static ClusterPayload payload(ClusterMessageType type, Object rawData, String nsp) {
        switch (type) {
            case INITIAL_HEARTBEAT:
                return new InitialHeartbeat();
            case HEARTBEAT:
                return new Heartbeat();
            case ADAPTER_CLOSE:
                return new AdapterClose();
            default:
                break;
        }
        Map<?, ?> data = map(rawData, "data");
        return switch (type) {
            case BROADCAST -> new Broadcast(packet(data.get("packet"), nsp),
                    opts(data.get("opts")), optionalString(data.get("requestId"), "requestId"));
            case SOCKETS_JOIN -> new SocketsJoin(opts(data.get("opts")),
                    stringSet(data.get("rooms"), "rooms"));
            case SOCKETS_LEAVE -> new SocketsLeave(opts(data.get("opts")),
                    stringSet(data.get("rooms"), "rooms"));
            case DISCONNECT_SOCKETS -> new DisconnectSockets(opts(data.get("opts")),
                    Boolean.TRUE.equals(data.get("close")));
            case FETCH_SOCKETS -> new FetchSockets(string(data.get("requestId"), "requestId"),
                    opts(data.get("opts")));
            case FETCH_SOCKETS_RESPONSE -> new FetchSocketsResponse(string(data.get("requestId"), "requestId"),
                    sockets(data.get("sockets")));
            case SERVER_SIDE_EMIT -> new ServerSideEmit(optionalString(data.get("requestId"), "requestId"),
                    list(data.get("packet"), "packet"));
            case SERVER_SIDE_EMIT_RESPONSE -> new ServerSideEmitResponse(string(data.get("requestId"), "requestId"),
                    data.get("packet"));
            case BROADCAST_CLIENT_COUNT -> new BroadcastClientCount(string(data.get("requestId"), "requestId"),
                    integer(data.get("clientCount"), "clientCount"));
            case BROADCAST_ACK -> new BroadcastAck(string(data.get("requestId"), "requestId"), data.get("packet"));
            default -> throw new IllegalStateException("unhandled type " + type);
        };
    }

    /** {@code {type, data, id?}}; the namespace is the message's (socket.io leaves it out). */
    static SocketPacket packet(Object value, String nsp) {
        Map<?, ?> p = map(value, "packet");
        int code = integer(p.get("type"), "packet.type");
        SocketPacketType type = SocketPacketType.fromCode((char) ('0' + code));
        if (type == null || !(type.isEvent() || type.isAck())) {
            throw new IllegalArgumentException("packet.type " + code + " is not an EVENT or ACK");
        }
        Object id = p.get("id");
        long ackId = id == null ? SocketPacket.NO_ID : number(id, "packet.id").longValue();
        return new SocketPacket(type, nsp, ackId, list(p.get("data"), "packet.data"));
    }

    /** {@code {rooms, except, flags}}; unknown flags (socket.io's {@code binary}...) are ignored. */
    static BroadcastOptions opts(Object value) {
        Map<?, ?> o = map(value, "opts");
        BroadcastFlags flags = BroadcastFlags.NONE;
        if (o.get("flags") instanceof Map<?, ?> f) {
            long timeout = f.get("timeout") instanceof Number n ? n.longValue() : 0;
            flags = new BroadcastFlags(Boolean.TRUE.equals(f.get("volatile")), Boolean.TRUE.equals(f.get("local")),
                    Boolean.TRUE.equals(f.get("compress")), timeout > 0 ? Duration.ofMillis(timeout) : null);
        }
        return new BroadcastOptions(stringSet(o.get("rooms"), "opts.rooms"), stringSet(o.get("except"), "opts.except"), flags);
    }

    private static List<SocketDetails> sockets(Object value) {
        List<Object> raw = list(value, "sockets");
        List<SocketDetails> sockets = new ArrayList<>(raw.size());
        for (Object element : raw) {
            Map<?, ?> s = map(element, "sockets[]");
            sockets.add(new SocketDetails(string(s.get("id"), "sockets[].id"), s.get("handshake"),
                    stringSet(s.get("rooms"), "sockets[].rooms"), s.get("data")));
        }
        return sockets;
    }

    // ---- field kinds -------------------------------------------------------------------------

    static Map<?, ?> map(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw wrongKind(field, "an object", value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String field) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw wrongKind(field, "an array", value);
    }

    static String string(Object value, String field) {
        if (value instanceof String s) {
            return s;
        }
        throw wrongKind(field, "a string", value);
    }

    static String optionalString(Object value, String field) {
        return value == null ? null : string(value, field);
    }

    static Number number(Object value, String field) {
        if (value instanceof Number n) {
            return n;
        }
        throw wrongKind(field, "a number", value);
    }

    static int integer(Object value, String field) {
        Number n = number(value, field);
        long l = n.longValue();
        if (l != n.doubleValue() || l != (int) l) {
            throw wrongKind(field, "a 32-bit integer", value);
        }
        return (int) l;
    }

    /** A missing list reads as empty (socket.io omits nothing, but an emitter may). */
    static Set<String> stringSet(Object value, String field) {
        if (value == null) {
            return Set.of();
        }
        Set<String> set = new LinkedHashSet<>();
        for (Object element : list(value, field)) {
            set.add(string(element, field + "[]"));
        }
        return set;
    }

    private static IllegalArgumentException wrongKind(String field, String expected, Object value) {
        String actual = value == null ? "missing" : value.getClass().getSimpleName();
        return new IllegalArgumentException("cluster message field '" + field + "' must be " + expected + ", was " + actual);
    }
}
