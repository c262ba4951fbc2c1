package io.sockeye.cluster.codec;

import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterMessageType;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The storage formats of {@code @socket.io/redis-streams-adapter} 0.3 (see docs/protocol-notes.md,
 * "Redis Streams format"), on top of {@link ClusterMessageCodec}: which messages are stream entries and
 * which go over pub/sub, the fields of an entry, the pub/sub payload, the stream a namespace uses, the
 * entry ids that serve as connection state recovery offsets, and the recovery session value. Pure and
 * thread-safe; every decoder returns a value or throws {@link ClusterCodecException}.
 */
public final class RedisStreamsFormat {

    /** An entry's fields, in the order the Node.js adapter writes them. */
    public static final String UID = "uid";
    public static final String NSP = "nsp";
    public static final String TYPE = "type";
    public static final String DATA = "data";

    private final ClusterMessageCodec codec;
    private final boolean onlyPlaintext;

    /**
     * @param onlyPlaintext the adapter's {@code onlyPlaintext} option: entries always JSON, even with
     *                      binary inside (which JSON turns into {@code {"type":"Buffer",...}} objects)
     */
    public RedisStreamsFormat(ClusterMessageCodec codec, boolean onlyPlaintext) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.onlyPlaintext = onlyPlaintext;
    }

    // ---- where a message goes ----------------------------------------------------------------

    /**
     * Whether the adapter sends {@code message} over pub/sub rather than appending it to the stream:
     * broadcasts with acks, serverSideEmit and fetchSockets (upstream's {@code isEphemeral}). Responses
     * always go over pub/sub, to the requester's channel.
     */
    public static boolean isEphemeral(ClusterMessage message) {
        return switch (message.type()) {
            case BROADCAST -> ((Broadcast) message.data()).requestId() != null;
            case SERVER_SIDE_EMIT, FETCH_SOCKETS -> true;
            default -> message.type().isResponse();
        };
    }

    /**
     * The stream of namespace {@code nsp}: {@code streamName} itself with one stream, else
     * {@code streamName-<hash % streamCount>}, the hash being JavaScript's {@code hashCode} helper of the
     * adapter, which is Java's {@link String#hashCode()} (31-polynomial over UTF-16 units, wrapping at 32
     * bits), remainder sign included.
     */
    public static String streamName(String streamName, int streamCount, String nsp) {
        if (streamCount == 1) {
            return streamName;
        }
        return streamName + "-" + (nsp.hashCode() % streamCount);
    }

    /**
     * Whether {@code offset} is a stream entry id, {@code <ms>-<seq>} in decimal digits (the adapter's
     * {@code /^[0-9]+-[0-9]+$/}), each part within Redis's unsigned 64-bit range so that Redis accepts it.
     */
    public static boolean isEntryId(String offset) {
        if (offset == null) {
            return false;
        }
        int dash = offset.indexOf('-');
        return dash > 0 && isUnsigned64(offset, 0, dash) && isUnsigned64(offset, dash + 1, offset.length());
    }

    private static boolean isUnsigned64(String s, int from, int to) {
        if (to <= from || to - from > 20) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        try {
            Long.parseUnsignedLong(s, from, to, 10);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ---- stream entries ----------------------------------------------------------------------

    /**
     * The fields of the stream entry for {@code message}, in order: {@code uid}, {@code nsp},
     * {@code type} (decimal text) and {@code data}: the JSON of the message's data, or the base64 of its
     * msgpack when it carries binary. Messages without data (heartbeats) have no {@code data} field.
     *
     * @throws ClusterCodecException if a value cannot be serialised
     */
    public Map<String, byte[]> entry(ClusterMessage message) {
        Map<String, byte[]> fields = new LinkedHashMap<>(8);
        if (message.uid() != null) {
            fields.put(UID, utf8(message.uid()));
        }
        fields.put(NSP, utf8(message.nsp()));
        fields.put(TYPE, utf8(Integer.toString(message.type().code())));
        Map<String, Object> data = codec.data(message.data());
        if (data != null) {
            fields.put(DATA, !onlyPlaintext && codec.carriesBinary(message.data())
                    ? Base64.getEncoder().encode(codec.msgpack(data))
                    : codec.json(data));
        }
        return fields;
    }

    /**
     * The message a stream entry holds (see {@link #entry}): {@code data} starting with <code>{</code> is
     * JSON, anything else base64 of msgpack.
     *
     * @return the message, or {@code null} when its type is unknown (a newer node's) or it names no
     *         namespace, which the Node.js adapter ignores too
     * @throws ClusterCodecException naming what is wrong
     */
    public ClusterMessage decodeEntry(Map<String, byte[]> fields) {
        String nsp = text(fields.get(NSP));
        if (nsp == null || nsp.isEmpty()) {
            return null;
        }
        ClusterMessageType type = ClusterMessageType.fromCode(typeCode(fields.get(TYPE)));
        if (type == null) {
            return null;
        }
        byte[] data = fields.get(DATA);
        Object value = data == null || data.length == 0 ? null : data[0] == '{' ? Json.decode(data)
                : MsgPack.decode(base64(data, "entry data"));
        return new ClusterMessage(text(fields.get(UID)), nsp, codec.payload(type, value, nsp));
    }

    private static int typeCode(byte[] type) {
        if (type == null || type.length == 0 || type.length > 4) {
            throw new ClusterCodecException("stream entry field 'type' must be a small decimal number");
        }
        int code = 0;
        for (byte b : type) {
            if (b < '0' || b > '9') {
                throw new ClusterCodecException("stream entry field 'type' must be a small decimal number");
            }
            code = code * 10 + (b - '0');
        }
        return code;
    }

    // ---- pub/sub -----------------------------------------------------------------------------

    /** A request or response as published: msgpack of the whole message, always. */
    public byte[] encodePublished(ClusterMessage message) {
        return codec.encodeMsgpack(message);
    }

    /**
     * A message received over pub/sub (msgpack only).
     *
     * @return the message, or {@code null} for an unknown type or a missing namespace
     * @throws ClusterCodecException naming what is wrong
     */
    public ClusterMessage decodePublished(byte[] payload) {
        if (payload.length == 0) {
            throw new ClusterCodecException("empty cluster message");
        }
        return codec.fromWire(MsgPack.decode(payload));
    }

    // ---- recovery sessions -------------------------------------------------------------------

    /**
     * What connection state recovery keeps under {@code <sessionKeyPrefix><pid>}: socket.io's
     * {@code {sid, pid, rooms, data}}, plus fields of Sockeye's own that the Node.js adapter ignores
     * when it restores the session (it reads only these four).
     *
     * @param sid   the socket id
     * @param pid   the private session id
     * @param rooms the socket's rooms, its own id room included
     * @param data  the socket's {@code data}
     * @param extra further fields, written after the four in their order (immutable copy)
     */
    public record Session(String sid, String pid, List<String> rooms, Object data, Map<String, Object> extra) {
        public Session {
            Objects.requireNonNull(sid, "sid");
            Objects.requireNonNull(pid, "pid");
            rooms = List.copyOf(rooms);
            extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        }
    }

    /** The key's value: base64 of the msgpack of the session map. */
    public String encodeSession(Session session) {
        return encodeSession(session, null);
    }

    /**
     * The key's value with {@code token} (exactly {@value #TOKEN_LENGTH} ASCII characters) as the map's
     * first field, {@code inc}: msgpack then puts its bytes at offsets 6 to 29 (a one-byte map header,
     * the three-letter key, a one-byte string header), which base64 writes, 3 bytes to 4 characters, as
     * characters 8 to 39 — {@link #tokenMarker} — so a Redis script can check whose record a key holds
     * by comparing a substring, without decoding. The Node.js adapter reads maps by key, not by order.
     */
    public String encodeSession(Session session, String token) {
        Map<String, Object> map = new LinkedHashMap<>(12);
        if (token != null) {
            tokenMarker(token); // checks the token's shape
            map.put(TOKEN, token);
        }
        map.put("sid", session.sid());
        map.put("pid", session.pid());
        map.put("rooms", session.rooms());
        map.put("data", session.data());
        session.extra().forEach(map::putIfAbsent);
        return Base64.getEncoder().encodeToString(codec.msgpack(map));
    }

    /**
     * A session value written by {@link #encodeSession} or by a Node.js node.
     *
     * @throws ClusterCodecException when it is not base64 of a msgpack map with string {@code sid} and
     *                               {@code pid} and a list of string {@code rooms}
     */
    public Session decodeSession(byte[] value) {
        Map<String, Object> map = WireShapes.map(MsgPack.decode(base64(value, "session")), "session");
        String sid = WireShapes.requiredString(map, "sid", "session.sid");
        String pid = WireShapes.requiredString(map, "pid", "session.pid");
        List<String> rooms = new ArrayList<>(WireShapes.strings(map.get("rooms"), "session.rooms"));
        Map<String, Object> extra = new LinkedHashMap<>(map);
        extra.keySet().removeAll(List.of("sid", "pid", "rooms", "data", TOKEN));
        return new Session(sid, pid, rooms, map.get("data"), extra);
    }

    /** The field {@link #encodeSession(Session, String)} writes the owner's token to. */
    public static final String TOKEN = "inc";
    /** Length of a session token, a multiple of 3 so that its base64 stands alone. */
    public static final int TOKEN_LENGTH = 24;
    /** Where {@link #tokenMarker} starts in a session value (0-based). */
    public static final int TOKEN_MARKER_START = 8;

    /**
     * What a session value written with {@code token} holds at {@link #TOKEN_MARKER_START}: the base64 of
     * the token's {@value #TOKEN_LENGTH} bytes (32 characters).
     *
     * @throws IllegalArgumentException when the token is not {@value #TOKEN_LENGTH} ASCII characters
     */
    public static String tokenMarker(String token) {
        if (token.length() != TOKEN_LENGTH || !StandardCharsets.US_ASCII.newEncoder().canEncode(token)) {
            throw new IllegalArgumentException("a session token is " + TOKEN_LENGTH + " ASCII characters: " + token);
        }
        return Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] base64(byte[] text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ClusterCodecException(what + " is neither JSON nor base64: " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
