package io.sockeye.adapter.redis.internal;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JavaScript object shapes both Redis formats share, built as ordered maps in the key order
 * socket.io creates them (the order is visible on the wire): a broadcast packet
 * {@code {type, data[, nsp]}}, broadcast options {@code {rooms, except[, flags]}}, and the socket
 * entries of a fetchSockets response {@code {id, handshake, rooms, data}}. And back again, leniently:
 * malformed input throws {@link IllegalArgumentException}.
 */
public final class WireShapes {

    /** socket-io-parser's {@code PacketType.EVENT}: adapters see packets before binary detection. */
    private static final int EVENT = 2;
    private static final int BINARY_EVENT = 5;

    private WireShapes() {
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
        if (!(type instanceof Number n) || (n.intValue() != EVENT && n.intValue() != BINARY_EVENT)) {
            throw new IllegalArgumentException("broadcast packet is not an EVENT: " + type);
        }
        Object data = map.get("data");
        if (!(data instanceof List<?> args) || args.isEmpty()) {
            throw new IllegalArgumentException("broadcast packet has no event");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) args;
        // The encoder upgrades to BINARY_EVENT by itself when it finds byte[] arguments.
        return new SocketPacket(SocketPacketType.EVENT, nsp, SocketPacket.NO_ID, list);
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

    public static BroadcastOptions opts(Object value) {
        Map<String, Object> map = map(value, "opts");
        return new BroadcastOptions(strings(map.get("rooms")), strings(map.get("except")), flags(map.get("flags")));
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

    public static List<SocketDetails> sockets(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("sockets is not an array");
        }
        List<SocketDetails> sockets = new ArrayList<>(list.size());
        for (Object item : list) {
            Map<String, Object> map = map(item, "socket");
            if (!(map.get("id") instanceof String id)) {
                throw new IllegalArgumentException("socket without id");
            }
            sockets.add(new SocketDetails(id, map.get("handshake"), strings(map.get("rooms")), map.get("data")));
        }
        return sockets;
    }

    // ---- helpers -----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(what + " is not an object");
        }
        return (Map<String, Object>) map;
    }

    /** A JSON array of room names as a set; numbers (socket.io allows numeric rooms) become strings. */
    public static Set<String> strings(Object value) {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof Collection<?> list)) {
            throw new IllegalArgumentException("expected an array of rooms, got " + value);
        }
        Set<String> set = new LinkedHashSet<>();
        for (Object item : list) {
            if (item != null) {
                set.add(item instanceof Number n ? numberText(n) : item.toString());
            }
        }
        return set;
    }

    private static String numberText(Number n) {
        Number js = JsValues.isIntegral(n) ? n : JsValues.jsNumber(n);
        return js.toString();
    }

    public static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value, String what) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(what + " is not an array");
        }
        return (List<Object>) list;
    }
}
