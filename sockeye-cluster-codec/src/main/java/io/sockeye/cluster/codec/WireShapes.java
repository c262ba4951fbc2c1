package io.sockeye.cluster.codec;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JavaScript object shapes every socket.io adapter format shares, built as ordered maps in the key
 * order socket.io creates them (the order is visible on the wire): a broadcast packet
 * {@code {type, data[, nsp]}}, broadcast options {@code {rooms, except[, flags]}}, and the socket
 * entries of a fetchSockets response {@code {id, handshake, rooms, data}}. And back again, from the
 * plain values {@link Json} and {@link MsgPack} decode: anything of the wrong shape throws
 * {@link ClusterCodecException} naming the field.
 */
public final class WireShapes {

    /** socket.io-parser's {@code PacketType.EVENT}: adapters see packets before binary detection. */
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    private WireShapes() {
    }

    /**
     * A payload from a bus as plain values: JSON when its first byte is <code>'&#123;'</code>, else msgpack, as
     * socket.io's adapters tell them apart.
     *
     * @throws ClusterCodecException when it is neither
     */
    public static Object read(byte[] payload) {
        return payload.length > 0 && payload[0] == '{' ? Json.decode(payload) : MsgPack.decode(payload);
    }

    // ---- packet ------------------------------------------------------------------------------

    /** {@code {type:2, data:[event, ...args]}} plus {@code nsp} when {@code nsp} is non-null. */
    public static Map<String, Object> packet(SocketPacket packet, String nsp) {
        Map<String, Object> map = new LinkedHashMap<>(4);
        map.put("type", EVENT);
        map.put("data", packet.data());
        if (nsp != null) {
            map.put("nsp", nsp);
        }
        return map;
    }

    /** An event packet from its wire map; {@code nsp} wins over the map's (which may be absent). */
    public static SocketPacket packet(Object value, String nsp) {
        Map<String, Object> map = map(value, "packet");
        Object type = map.get("type");
        if (!(type instanceof Number n) || !isEventType(n)) {
            throw new ClusterCodecException("broadcast packet is not an EVENT: type " + kind(type));
        }
        List<Object> args = list(map.get("data"), "packet.data");
        if (args.isEmpty()) {
            throw new ClusterCodecException("broadcast packet has no event name");
        }
        try {
            // The encoder upgrades to BINARY_EVENT by itself when it finds byte[] arguments.
            return new SocketPacket(SocketPacketType.EVENT, nsp, SocketPacket.NO_ID, args);
        } catch (IllegalArgumentException e) {
            throw new ClusterCodecException("broadcast packet of an invalid namespace: " + e.getMessage(), e);
        }
    }

    private static boolean isEventType(Number n) {
        return JsValues.isIntegral(n) && (n.longValue() == EVENT || n.longValue() == BINARY_EVENT);
    }

    /** The {@code nsp} of a classic-format packet; socket.io treats a missing one as "/". */
    public static String packetNsp(Object value) {
        Object nsp = map(value, "packet").get("nsp");
        return nsp instanceof String s ? s : "/";
    }

    // ---- options -----------------------------------------------------------------------------

    /** {@code {rooms:[…], except:[…]}} and, if {@code withFlags}, {@code flags:{…}}. */
    public static Map<String, Object> opts(BroadcastOptions opts, boolean withFlags) {
        Map<String, Object> map = new LinkedHashMap<>(4);
        map.put("rooms", new ArrayList<>(opts.rooms()));
        map.put("except", new ArrayList<>(opts.except()));
        if (withFlags) {
            map.put("flags", flags(opts.flags()));
        }
        return map;
    }

    /**
     * The flags socket.io's broadcast operator sets, only those set ({@code io.emit} sends
     * {@code {}}); {@code local} never crosses the bus, the timeout travels in milliseconds.
     */
    public static Map<String, Object> flags(BroadcastFlags flags) {
        Map<String, Object> map = new LinkedHashMap<>(4);
        if (flags.compress()) {
            map.put("compress", true);
        }
        if (flags.isVolatile()) {
            map.put("volatile", true);
        }
        if (flags.timeout() != null) {
            map.put("timeout", flags.timeout().toMillis());
        }
        return map;
    }

    /** Options from their wire map; missing room lists are empty, missing or unknown flags ignored. */
    public static BroadcastOptions opts(Object value) {
        Map<String, Object> map = map(value, "opts");
        return new BroadcastOptions(strings(map.get("rooms"), "opts.rooms"), strings(map.get("except"), "opts.except"),
                flags(map.get("flags")));
    }

    private static BroadcastFlags flags(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return BroadcastFlags.NONE;
        }
        Duration timeout = null;
        if (map.get("timeout") instanceof Number ms && ms.longValue() > 0) {
            timeout = Duration.ofMillis(ms.longValue());
        }
        // A "local" flag from another node is meaningless here (it should not have been published).
        return new BroadcastFlags(Boolean.TRUE.equals(map.get("volatile")), false,
                Boolean.TRUE.equals(map.get("compress")), timeout);
    }

    // ---- fetchSockets ------------------------------------------------------------------------

    /** socket.io's fetchSockets response entries; the handshake goes out in socket.io's shape. */
    public static List<Object> sockets(List<SocketDetails> sockets) {
        List<Object> list = new ArrayList<>(sockets.size());
        for (SocketDetails socket : sockets) {
            Map<String, Object> map = new LinkedHashMap<>(8);
            map.put("id", socket.id());
            map.put("handshake", socket.handshake());
            map.put("rooms", new ArrayList<>(socket.rooms()));
            map.put("data", socket.data());
            list.add(map);
        }
        return list;
    }

    /** The entries of a fetchSockets response; each needs a string {@code id}. */
    public static List<SocketDetails> sockets(Object value) {
        List<Object> list = list(value, "sockets");
        List<SocketDetails> sockets = new ArrayList<>(list.size());
        for (Object item : list) {
            Map<String, Object> map = map(item, "sockets[]");
            String id = requiredString(map, "id", "sockets[].id");
            sockets.add(new SocketDetails(id, map.get("handshake"), strings(map.get("rooms"), "sockets[].rooms"),
                    map.get("data")));
        }
        return sockets;
    }

    // ---- field kinds -------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongKind(field, "an object", value);
        }
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw wrongKind(field, "an array", value);
        }
        return (List<Object>) list;
    }

    /**
     * An array of room names as a set: missing reads as empty, {@code null} entries are skipped and
     * numbers (socket.io once allowed numeric rooms) become their JavaScript text.
     */
    public static Set<String> strings(Object value, String field) {
        if (value == null) {
            return Set.of();
        }
        Set<String> set = new LinkedHashSet<>();
        for (Object item : list(value, field)) {
            if (item instanceof String s) {
                set.add(s);
            } else if (item instanceof Number n) {
                set.add(numberText(n));
            } else if (item != null) {
                throw wrongKind(field + "[]", "a string", item);
            }
        }
        return set;
    }

    private static String numberText(Number n) {
        Number js = JsValues.isIntegral(n) ? n : JsValues.jsNumber(n);
        return js.toString();
    }

    /** The string under {@code key}, or null when it is absent or not a string. */
    public static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }

    /** The string under {@code key}, or null when absent; anything but a string is refused. */
    public static String optionalString(Map<String, Object> map, String key, String field) {
        Object value = map.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongKind(field, "a string", value);
    }

    /** The string under {@code key}, which must be there. */
    public static String requiredString(Map<String, Object> map, String key, String field) {
        String value = optionalString(map, key, field);
        if (value == null) {
            throw wrongKind(field, "a string", null);
        }
        return value;
    }

    private static ClusterCodecException wrongKind(String field, String expected, Object value) {
        return new ClusterCodecException("cluster message field '" + field + "' must be " + expected + ", was " + kind(value));
    }

    /** A value's kind for error messages: never its content, which may be large or private. */
    private static String kind(Object value) {
        return value == null ? "missing" : value instanceof Integer n ? "the number " + n : value.getClass().getSimpleName();
    }
}
