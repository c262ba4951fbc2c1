package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.adapter.redis.SubscriptionMode;
import io.sockeye.core.adapter.ClusterMessage;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The wire format of {@code @socket.io/redis-adapter} 8.3's sharded adapter for one namespace
 * (PROTOCOL.md §4.2): socket.io's {@code ClusterMessage} {@code {type, data, uid, nsp}} as JSON, or as
 * msgpack when a message type that may carry binary does; published with {@code SPUBLISH} on
 * {@code <prefix>#<nsp>#}, {@code <prefix>#<nsp>#<uid>#} (responses to one node) and, in the dynamic
 * modes, {@code <prefix>#<nsp>#<room>#} (broadcasts to one public room).
 */
public final class ShardedCodec {

    /** socket.io socket ids are 20 characters; the dynamic mode keeps them on the main channel. */
    private static final int SOCKET_ID_LENGTH = 20;

    private final String nsp;
    private final String mainChannel;
    private final SubscriptionMode mode;
    private final ObjectMapper mapper;

    public ShardedCodec(String channelPrefix, String nsp, SubscriptionMode mode, ObjectMapper mapper) {
        this.nsp = nsp;
        this.mainChannel = channelPrefix + "#" + nsp + "#";
        this.mode = mode;
        this.mapper = mapper;
    }

    public String mainChannel() {
        return mainChannel;
    }

    /** The channel on which node {@code uid} receives responses. */
    public String responseChannel(String uid) {
        return mainChannel + uid + "#";
    }

    public String roomChannel(String room) {
        return mainChannel + room + "#";
    }

    // ---- encoding ----------------------------------------------------------------------------

    public Outgoing encode(ClusterMessage message) {
        return new Outgoing(channelOf(message), encodeMessage(message));
    }

    public Outgoing encodeResponse(String requesterUid, ClusterMessage response) {
        return new Outgoing(responseChannel(requesterUid), encodeMessage(response));
    }

    /**
     * sharded-adapter's computeChannel: a broadcast without acks to exactly one room goes to that
     * room's channel in the dynamic modes ("dynamic" keeps rooms that look like socket ids on the main
     * channel); broadcasts with acks never do, since the server count covers every node.
     */
    private String channelOf(ClusterMessage message) {
        if (message.data() instanceof Broadcast broadcast && broadcast.requestId() == null
                && broadcast.opts().rooms().size() == 1) {
            String room = broadcast.opts().rooms().iterator().next();
            if ((mode == SubscriptionMode.DYNAMIC && room.length() != SOCKET_ID_LENGTH)
                    || mode == SubscriptionMode.DYNAMIC_PRIVATE) {
                return roomChannel(room);
            }
        }
        return mainChannel;
    }

    private byte[] encodeMessage(ClusterMessage message) {
        Map<String, Object> data = data(message.data());
        Map<String, Object> wire = new LinkedHashMap<>(6);
        wire.put("type", message.type().code());
        if (data != null) {
            wire.put("data", data);
        }
        wire.put("uid", message.uid());
        wire.put("nsp", message.nsp());
        if (mayContainBinary(message.type()) && JsValues.hasBinary(data, mapper)) {
            return MsgPack.encode(wire, mapper);
        }
        return Json.encode(wire, mapper);
    }

    private static boolean mayContainBinary(ClusterMessageType type) {
        return type == ClusterMessageType.BROADCAST || type == ClusterMessageType.BROADCAST_ACK
                || type == ClusterMessageType.FETCH_SOCKETS_RESPONSE || type == ClusterMessageType.SERVER_SIDE_EMIT
                || type == ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE;
    }

    /** The {@code data} object in socket.io ClusterAdapter's key order; null for heartbeats. */
    private static Map<String, Object> data(ClusterPayload payload) {
        Map<String, Object> data = new LinkedHashMap<>(4);
        switch (payload.type()) {
            case BROADCAST -> {
                Broadcast broadcast = (Broadcast) payload;
                data.put("packet", WireShapes.packet(broadcast.packet(), null));
                if (broadcast.requestId() != null) {
                    data.put("requestId", broadcast.requestId());
                }
                data.put("opts", WireShapes.opts(broadcast.opts(), true));
            }
            case SOCKETS_JOIN -> {
                SocketsJoin join = (SocketsJoin) payload;
                data.put("opts", WireShapes.opts(join.opts(), true));
                data.put("rooms", new ArrayList<>(join.rooms()));
            }
            case SOCKETS_LEAVE -> {
                SocketsLeave leave = (SocketsLeave) payload;
                data.put("opts", WireShapes.opts(leave.opts(), true));
                data.put("rooms", new ArrayList<>(leave.rooms()));
            }
            case DISCONNECT_SOCKETS -> {
                DisconnectSockets disconnect = (DisconnectSockets) payload;
                data.put("opts", WireShapes.opts(disconnect.opts(), true));
                data.put("close", disconnect.close());
            }
            case FETCH_SOCKETS -> {
                FetchSockets fetch = (FetchSockets) payload;
                data.put("opts", WireShapes.opts(fetch.opts(), true));
                data.put("requestId", fetch.requestId());
            }
            case FETCH_SOCKETS_RESPONSE -> {
                FetchSocketsResponse response = (FetchSocketsResponse) payload;
                data.put("requestId", response.requestId());
                data.put("sockets", WireShapes.sockets(response.sockets()));
            }
            case SERVER_SIDE_EMIT -> {
                ServerSideEmit emit = (ServerSideEmit) payload;
                if (emit.requestId() != null) {
                    data.put("requestId", emit.requestId());
                }
                data.put("packet", emit.packet());
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ServerSideEmitResponse response = (ServerSideEmitResponse) payload;
                data.put("requestId", response.requestId());
                data.put("packet", response.packet());
            }
            case BROADCAST_CLIENT_COUNT -> {
                BroadcastClientCount count = (BroadcastClientCount) payload;
                data.put("requestId", count.requestId());
                data.put("clientCount", count.clientCount());
            }
            case BROADCAST_ACK -> {
                BroadcastAck ack = (BroadcastAck) payload;
                data.put("requestId", ack.requestId());
                data.put("packet", ack.packet());
            }
            case INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE -> {
                return null;
            }
        }
        return data;
    }

    // ---- decoding ----------------------------------------------------------------------------

    /**
     * A received message; null when it is of an unknown type. Throws {@link IllegalArgumentException}
     * on malformed input. Own messages are left to the core to drop.
     */
    public ClusterMessage decode(byte[] payload) {
        Object decoded = payload.length > 0 && payload[0] == '{' ? Json.decode(payload) : MsgPack.decode(payload);
        Map<String, Object> wire = WireShapes.map(decoded, "message");
        ClusterMessageType type = wire.get("type") instanceof Number n ? ClusterMessageType.fromCode(n.intValue()) : null;
        String messageNsp = WireShapes.string(wire, "nsp");
        if (type == null || messageNsp == null) {
            return null;
        }
        if (!nsp.equals(messageNsp)) {
            return null;
        }
        return new ClusterMessage(WireShapes.string(wire, "uid"), messageNsp, payload(type, wire.get("data")));
    }

    private ClusterPayload payload(ClusterMessageType type, Object value) {
        switch (type) {
            case INITIAL_HEARTBEAT -> {
                return new InitialHeartbeat();
            }
            case HEARTBEAT -> {
                return new Heartbeat();
            }
            case ADAPTER_CLOSE -> {
                return new AdapterClose();
            }
            default -> {
                // every other type has data
            }
        }
        Map<String, Object> data = WireShapes.map(value, "data");
        String requestId = WireShapes.string(data, "requestId");
        return switch (type) {
            case BROADCAST -> new Broadcast(WireShapes.packet(data.get("packet"), nsp),
                    WireShapes.opts(data.get("opts")), requestId);
            case SOCKETS_JOIN -> new SocketsJoin(WireShapes.opts(data.get("opts")), rooms(data));
            case SOCKETS_LEAVE -> new SocketsLeave(WireShapes.opts(data.get("opts")), rooms(data));
            case DISCONNECT_SOCKETS -> new DisconnectSockets(WireShapes.opts(data.get("opts")),
                    Boolean.TRUE.equals(data.get("close")));
            case FETCH_SOCKETS -> new FetchSockets(requestId, WireShapes.opts(data.get("opts")));
            case FETCH_SOCKETS_RESPONSE -> new FetchSocketsResponse(requestId, WireShapes.sockets(data.get("sockets")));
            case SERVER_SIDE_EMIT -> new ServerSideEmit(requestId, WireShapes.list(data.get("packet"), "packet"));
            case SERVER_SIDE_EMIT_RESPONSE -> new ServerSideEmitResponse(requestId, data.get("packet"));
            case BROADCAST_CLIENT_COUNT -> new BroadcastClientCount(requestId,
                    data.get("clientCount") instanceof Number n ? n.intValue() : 0);
            case BROADCAST_ACK -> new BroadcastAck(requestId, data.get("packet"));
            default -> throw new IllegalStateException("unreachable: " + type);
        };
    }

    private static Set<String> rooms(Map<String, Object> data) {
        return WireShapes.strings(data.get("rooms"));
    }
}
