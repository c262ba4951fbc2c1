package io.sockeye.adapter.nats.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterMessageType;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ClusterMessage} ⇄ bytes, in the format of socket.io's {@code ClusterAdapter} backends (the
 * Redis sharded adapter, PROTOCOL.md §4.2): {@code {"type":3,"data":{…},"uid":"…","nsp":"/"}} as JSON,
 * or the same map as msgpack when it holds binary data. Decoding sniffs the first byte ({@code '{'}
 * means JSON). Field names and order follow socket.io, so a message from a Node backend of the same
 * format decodes, and vice versa.
 *
 * <p>This class knows nothing of NATS: {@link #toTree}/{@link #fromTree} and {@link #encode}/
 * {@link #decode} are all a bus needs, so it can move to a shared module when a second backend uses it.
 * Thread-safe.
 */
public final class ClusterMessageCodec {

    private final JsonFactory json = JsonFactory.builder().build();
    private final ObjectMapper reader = new ObjectMapper();
    private final PlainValues plain;

    /** @param mapper serialises the POJOs and records found in packets, handshakes and socket data */
    public ClusterMessageCodec(ObjectMapper mapper) {
        this.plain = new PlainValues(Objects.requireNonNull(mapper, "mapper"));
    }

    /** A codec serialising POJOs with a default {@link ObjectMapper}. */
    public ClusterMessageCodec() {
        this(new ObjectMapper());
    }

    // ---- bytes -------------------------------------------------------------------------------

    /**
     * JSON, or msgpack when the message carries binary data (JSON would have to base64 it).
     *
     * @throws IllegalArgumentException if a value cannot be serialised
     */
    public byte[] encode(ClusterMessage message) {
        Map<String, Object> tree = toTree(message);
        return PlainValues.hasBinary(tree) ? MsgpackValues.write(tree) : writeJson(tree);
    }

    /**
     * Reads a message written by {@link #encode} (or by a socket.io backend of the same format).
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not such a message
     */
    public ClusterMessage decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty cluster message");
        }
        Object tree;
        if (bytes[0] == '{') {
            try {
                tree = reader.readValue(bytes, Object.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed JSON cluster message: " + e.getMessage(), e);
            }
        } else {
            tree = MsgpackValues.read(bytes);
        }
        return fromTree(tree);
    }

    private byte[] writeJson(Object tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.createGenerator(out)) {
            writeJson(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        return out.toByteArray();
    }

    private static void writeJson(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeJson(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                writeJson(g, element);
            }
            g.writeEndArray();
        } else {
            // null, String, Boolean and the numbers of a plain tree: Jackson writes them natively.
            g.writeObject(value);
        }
    }

    // ---- tree --------------------------------------------------------------------------------

    /** The message as a plain tree: {@code {type, data?, uid?, nsp}}. */
    public Map<String, Object> toTree(ClusterMessage message) {
        Map<String, Object> tree = new LinkedHashMap<>(8);
        tree.put("type", message.type().code());
        Map<String, Object> data = dataOf(message.data());
        if (data != null) {
            tree.put("data", data);
        }
        if (message.uid() != null) {
            tree.put("uid", message.uid());
        }
        tree.put("nsp", message.nsp());
        return tree;
    }

    private Map<String, Object> dataOf(ClusterPayload payload) {
        Map<String, Object> data = new LinkedHashMap<>(8);
        switch (payload.type()) {
            case INITIAL_HEARTBEAT, HEARTBEAT, ADAPTER_CLOSE -> {
                return null; // socket.io sends these without data
            }
            case BROADCAST -> {
                Broadcast b = (Broadcast) payload;
                data.put("packet", packetOf(b.packet()));
                putIfSet(data, "requestId", b.requestId());
                data.put("opts", optsOf(b.opts()));
            }
            case SOCKETS_JOIN -> {
                SocketsJoin join = (SocketsJoin) payload;
                data.put("opts", optsOf(join.opts()));
                data.put("rooms", new ArrayList<Object>(join.rooms()));
            }
            case SOCKETS_LEAVE -> {
                SocketsLeave leave = (SocketsLeave) payload;
                data.put("opts", optsOf(leave.opts()));
                data.put("rooms", new ArrayList<Object>(leave.rooms()));
            }
            case DISCONNECT_SOCKETS -> {
                DisconnectSockets d = (DisconnectSockets) payload;
                data.put("opts", optsOf(d.opts()));
                data.put("close", d.close());
            }
            case FETCH_SOCKETS -> {
                FetchSockets f = (FetchSockets) payload;
                data.put("opts", optsOf(f.opts()));
                data.put("requestId", f.requestId());
            }
            case FETCH_SOCKETS_RESPONSE -> {
                FetchSocketsResponse r = (FetchSocketsResponse) payload;
                data.put("requestId", r.requestId());
                List<Object> sockets = new ArrayList<>(r.sockets().size());
                for (SocketDetails s : r.sockets()) {
                    Map<String, Object> socket = new LinkedHashMap<>(8);
                    socket.put("id", s.id());
                    socket.put("handshake", plain.toPlain(s.handshake()));
                    socket.put("rooms", new ArrayList<Object>(s.rooms()));
                    socket.put("data", plain.toPlain(s.data()));
                    sockets.add(socket);
                }
                data.put("sockets", sockets);
            }
            case SERVER_SIDE_EMIT -> {
                ServerSideEmit e = (ServerSideEmit) payload;
                putIfSet(data, "requestId", e.requestId());
                data.put("packet", plain.toPlain(e.packet()));
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ServerSideEmitResponse r = (ServerSideEmitResponse) payload;
                data.put("requestId", r.requestId());
                data.put("packet", plain.toPlain(r.packet()));
            }
            case BROADCAST_CLIENT_COUNT -> {
                BroadcastClientCount c = (BroadcastClientCount) payload;
                data.put("requestId", c.requestId());
                data.put("clientCount", c.clientCount());
            }
            case BROADCAST_ACK -> {
                BroadcastAck a = (BroadcastAck) payload;
                data.put("requestId", a.requestId());
                data.put("packet", plain.toPlain(a.packet()));
            }
        }
        return data;
    }

    private Map<String, Object> packetOf(SocketPacket packet) {
        Map<String, Object> p = new LinkedHashMap<>(4);
        // socket.io's broadcast packet is always type 2 (EVENT) or 3 (ACK): its parser decides about
        // BINARY_* when it encodes for the client, and so does ours.
        SocketPacketType type = packet.type() == SocketPacketType.BINARY_EVENT ? SocketPacketType.EVENT
                : packet.type() == SocketPacketType.BINARY_ACK ? SocketPacketType.ACK : packet.type();
        p.put("type", type.ordinal());
        p.put("data", plain.toPlain(packet.data()));
        if (packet.hasId()) {
            p.put("id", packet.id());
        }
        return p;
    }

    private static Map<String, Object> optsOf(BroadcastOptions opts) {
        Map<String, Object> o = new LinkedHashMap<>(4);
        o.put("rooms", new ArrayList<Object>(opts.rooms()));
        o.put("except", new ArrayList<Object>(opts.except()));
        Map<String, Object> flags = new LinkedHashMap<>(4);
        BroadcastFlags f = opts.flags();
        // Like socket.io, only the flags that are set are sent.
        if (f.isVolatile()) {
            flags.put("volatile", true);
        }
        if (f.local()) {
            flags.put("local", true);
        }
        if (f.compress()) {
            flags.put("compress", true);
        }
        if (f.timeout() != null) {
            flags.put("timeout", f.timeout().toMillis());
        }
        o.put("flags", flags);
        return o;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * The message a plain tree describes (see {@link #toTree}).
     *
     * @throws IllegalArgumentException naming the field that is missing or of the wrong kind
     */
    public ClusterMessage fromTree(Object tree) {
        Map<?, ?> root = TreeReader.map(tree, "message");
        int code = TreeReader.integer(root.get("type"), "type");
        ClusterMessageType type = ClusterMessageType.fromCode(code);
        if (type == null) {
            throw new IllegalArgumentException("unknown cluster message type " + code);
        }
        String nsp = TreeReader.string(root.get("nsp"), "nsp");
        String uid = TreeReader.optionalString(root.get("uid"), "uid");
        return new ClusterMessage(uid, nsp, TreeReader.payload(type, root.get("data"), nsp));
    }
}
