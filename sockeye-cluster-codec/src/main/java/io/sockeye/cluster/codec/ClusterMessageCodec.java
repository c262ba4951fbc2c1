package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Objects;
import java.util.Set;

/**
 * {@link ClusterMessage} ⇄ bytes in the format of socket.io's {@code ClusterAdapter} backends (see
 * docs/protocol-notes.md, "Cluster messages"): {@code {"type":3,"data":{…},"uid":"…","nsp":"/"}} as
 * JSON, or the same map as msgpack when a type that may carry binary does. Field names and key order
 * are socket.io's, so what a Node.js node publishes decodes here and what this codec writes is what
 * that node would have written, byte for byte.
 *
 * <p>Knows nothing of any bus: {@link #encode}/{@link #decode} serve a pub/sub backend (Redis sharded
 * pub/sub, NATS); {@link #encodeMsgpack}, {@link #data} and {@link #payload} let a backend that stores
 * the fields apart (a Redis stream entry's {@code uid}, {@code nsp}, {@code type} and {@code data}) or
 * always uses msgpack build on the same shapes. Thread-safe.
 */
public final class ClusterMessageCodec {

    private final ObjectMapper mapper;

    /** @param mapper serialises the POJOs and records found in packets, handshakes and socket data */
    public ClusterMessageCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** A codec serialising POJOs with a default {@link ObjectMapper}. */
    public ClusterMessageCodec() {
        this(new ObjectMapper());
    }

    // ---- bytes -------------------------------------------------------------------------------

    /**
     * JSON, or msgpack when the message carries binary data ({@link #carriesBinary}).
     *
     * @throws ClusterCodecException if a value cannot be serialised
     */
    public byte[] encode(ClusterMessage message) {
        Map<String, Object> wire = toWire(message);
        return carriesBinary(message.data()) ? MsgPack.encode(wire, mapper) : Json.encode(wire, mapper);
    }

    /**
     * Always msgpack, whatever the message holds.
     *
     * @throws ClusterCodecException if a value cannot be serialised
     */
    public byte[] encodeMsgpack(ClusterMessage message) {
        return MsgPack.encode(toWire(message), mapper);
    }

    /**
     * Reads a message written by {@link #encode} or {@link #encodeMsgpack}, or by a socket.io backend of
     * the same format (JSON when the first byte is <code>'&#123;'</code>, else msgpack).
     *
     * @return the message, or {@code null} when it is of a type this version does not know (a newer
     *         node's) or names no namespace, which socket.io ignores too
     * @throws ClusterCodecException naming what is wrong when the bytes are not such a message
     */
    public ClusterMessage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ClusterCodecException("empty cluster message");
        }
        return fromWire(WireShapes.read(bytes));
    }

    /** The JSON text or msgpack bytes of any value, as {@link #encode} writes the values inside a message. */
    public byte[] json(Object value) {
        return Json.encode(value, mapper);
    }

    public byte[] msgpack(Object value) {
        return MsgPack.encode(value, mapper);
    }

    // ---- the message as a map ----------------------------------------------------------------

    /** The message as socket.io builds it: {@code {type, data?, uid?, nsp}} ({@code uid} absent when null). */
    public Map<String, Object> toWire(ClusterMessage message) {
        Map<String, Object> wire = new LinkedHashMap<>(8);
        wire.put("type", message.type().code());
        Map<String, Object> data = data(message.data());
        if (data != null) {
            wire.put("data", data);
        }
        if (message.uid() != null) {
            wire.put("uid", message.uid());
        }
        wire.put("nsp", message.nsp());
        return wire;
    }

    /**
     * The message a decoded map describes (see {@link #toWire}); {@code null} for an unknown type or
     * a missing namespace.
     *
     * @throws ClusterCodecException naming the field that is missing or of the wrong kind
     */
    public ClusterMessage fromWire(Object value) {
        Map<String, Object> wire = WireShapes.map(value, "message");
        Object code = wire.get("type");
        if (!(code instanceof Integer number)) {
            throw new ClusterCodecException("cluster message field 'type' must be a small integer");
        }
        String nsp = WireShapes.optionalString(wire, "nsp", "nsp");
        String uid = WireShapes.optionalString(wire, "uid", "uid");
        ClusterMessageType type = ClusterMessageType.fromCode(number);
        if (type == null || nsp == null) {
            return null;
        }
        return new ClusterMessage(uid, nsp, payload(type, wire.get("data"), nsp));
    }

    /**
     * Whether socket.io would send this payload as msgpack: its type may carry binary data and it does
     * (socket.io's {@code hasBinary}).
     */
    public boolean carriesBinary(ClusterPayload payload) {
        return switch (payload.type()) {
            case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE ->
                    JsValues.hasBinary(data(payload), mapper);
            default -> false;
        };
    }

    // ---- data --------------------------------------------------------------------------------

    /** The {@code data} object in socket.io ClusterAdapter's key order; {@code null} for heartbeats. */
    public Map<String, Object> data(ClusterPayload payload) {
        Map<String, Object> data = new LinkedHashMap<>(4);
        switch (payload.type()) {
            case BROADCAST -> {
                Broadcast broadcast = (Broadcast) payload;
                data.put("packet", WireShapes.packet(broadcast.packet(), null));
                putIfSet(data, "requestId", broadcast.requestId());
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
                putIfSet(data, "requestId", emit.requestId());
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
                return null; // socket.io sends these without data
            }
        }
        return data;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * The payload of type {@code type} that a decoded {@code data} object describes; {@code nsp} is the
     * message's namespace, which broadcast packets leave out.
     *
     * @throws ClusterCodecException naming the field that is missing or of the wrong kind
     */
    public ClusterPayload payload(ClusterMessageType type, Object value, String nsp) {
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
        return switch (type) {
            case BROADCAST -> new Broadcast(WireShapes.packet(data.get("packet"), nsp),
                    WireShapes.opts(data.get("opts")), optionalRequestId(data));
            case SOCKETS_JOIN -> new SocketsJoin(WireShapes.opts(data.get("opts")), rooms(data));
            case SOCKETS_LEAVE -> new SocketsLeave(WireShapes.opts(data.get("opts")), rooms(data));
            case DISCONNECT_SOCKETS -> new DisconnectSockets(WireShapes.opts(data.get("opts")),
                    Boolean.TRUE.equals(data.get("close")));
            case FETCH_SOCKETS -> new FetchSockets(requestId(data), WireShapes.opts(data.get("opts")));
            case FETCH_SOCKETS_RESPONSE -> new FetchSocketsResponse(requestId(data),
                    WireShapes.sockets(data.get("sockets")));
            case SERVER_SIDE_EMIT -> new ServerSideEmit(optionalRequestId(data), WireShapes.list(data.get("packet"), "data.packet"));
            case SERVER_SIDE_EMIT_RESPONSE -> new ServerSideEmitResponse(requestId(data), data.get("packet"));
            case BROADCAST_CLIENT_COUNT -> new BroadcastClientCount(requestId(data), clientCount(data.get("clientCount")));
            case BROADCAST_ACK -> new BroadcastAck(requestId(data), data.get("packet"));
            default -> throw new IllegalStateException("unreachable: " + type);
        };
    }

    private static String requestId(Map<String, Object> data) {
        return WireShapes.requiredString(data, "requestId", "data.requestId");
    }

    private static String optionalRequestId(Map<String, Object> data) {
        return WireShapes.optionalString(data, "requestId", "data.requestId");
    }

    private static Set<String> rooms(Map<String, Object> data) {
        return WireShapes.strings(data.get("rooms"), "data.rooms");
    }

    private static int clientCount(Object value) {
        if (value instanceof Integer count && count >= 0) {
            return count;
        }
        throw new ClusterCodecException("cluster message field 'data.clientCount' must be a count");
    }
}
