package io.sockeye.protocol.socket;

import java.util.List;
import java.util.Objects;

/**
 * One Socket.IO v5 packet, as decoded from the wire or about to be encoded.
 *
 * <p>{@code data} by type: CONNECT — a Map (auth / {@code {"sid":…}}) or {@code null};
 * DISCONNECT — {@code null}; EVENT / BINARY_EVENT — a List whose first element is the event name;
 * ACK / BINARY_ACK — a List of reply arguments; CONNECT_ERROR — a Map such as
 * {@code {"message":…,"data":…}} or a String.
 *
 * <p>Decoded packets hold plain Java values (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger,
 * Double, Boolean, {@code null}) and {@code byte[]} where the sender put binary attachments; they keep
 * the BINARY_* type the sender used. Packets to encode may also hold POJOs, records and
 * {@link java.nio.ByteBuffer}s; the encoder picks the BINARY_* type itself when it finds binary data.
 *
 * @param type the packet type
 * @param nsp  the namespace, starting with {@code /}; {@code "/"} is the main namespace
 * @param id   the ack id, or {@link #NO_ID}
 * @param data the payload, see above
 */
public record SocketPacket(SocketPacketType type, String nsp, long id, Object data) {

    /** Marks a packet without an ack id. */
    public static final long NO_ID = -1;

    /** Largest ack id a JavaScript peer can represent exactly ({@code Number.MAX_SAFE_INTEGER}). */
    public static final long MAX_ID = (1L << 53) - 1;

    /** The main namespace. */
    public static final String MAIN_NAMESPACE = "/";

    public SocketPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nsp, "nsp");
        // The namespace ends at the first ',' on the wire, so one inside it could not be decoded back.
        if (nsp.isEmpty() || nsp.charAt(0) != '/' || nsp.indexOf(',') >= 0) {
            throw new IllegalArgumentException("namespace must start with '/' and contain no ',': " + nsp);
        }
        if (id < NO_ID || id > MAX_ID) {
            throw new IllegalArgumentException("ack id out of range: " + id);
        }
        switch (type) {
            case CONNECT, CONNECT_ERROR, DISCONNECT -> {
                if (id != NO_ID) {
                    throw new IllegalArgumentException(type + " packet carries no ack id");
                }
                if (type == SocketPacketType.DISCONNECT && data != null) {
                    throw new IllegalArgumentException("DISCONNECT packet carries no data");
                }
                if (type == SocketPacketType.CONNECT_ERROR && data == null) {
                    throw new IllegalArgumentException("CONNECT_ERROR packet needs data");
                }
            }
            case EVENT, BINARY_EVENT, ACK, BINARY_ACK -> {
                if (!(data instanceof List)) {
                    throw new IllegalArgumentException(type + " packet data must be a List");
                }
                if (type.isAck() && id == NO_ID) {
                    throw new IllegalArgumentException(type + " packet needs an ack id");
                }
            }
        }
    }

    /** A CONNECT packet: from a client, {@code data} is its auth payload; from the server, {@code {"sid":…}}. */
    public static SocketPacket connect(String nsp, Object data) {
        return new SocketPacket(SocketPacketType.CONNECT, nsp, NO_ID, data);
    }

    public static SocketPacket disconnect(String nsp) {
        return new SocketPacket(SocketPacketType.DISCONNECT, nsp, NO_ID, null);
    }

    /** An EVENT without ack; {@code args.get(0)} is the event name. */
    public static SocketPacket event(String nsp, List<Object> args) {
        return new SocketPacket(SocketPacketType.EVENT, nsp, NO_ID, args);
    }

    /** An EVENT that asks for an acknowledgement with id {@code ackId}. */
    public static SocketPacket event(String nsp, long ackId, List<Object> args) {
        return new SocketPacket(SocketPacketType.EVENT, nsp, ackId, args);
    }

    /** The reply to the EVENT whose ack id was {@code id}. */
    public static SocketPacket ack(String nsp, long id, List<Object> args) {
        return new SocketPacket(SocketPacketType.ACK, nsp, id, args);
    }

    /** A refused namespace connection, e.g. {@code Map.of("message", "Invalid namespace")}. */
    public static SocketPacket connectError(String nsp, Object data) {
        return new SocketPacket(SocketPacketType.CONNECT_ERROR, nsp, NO_ID, data);
    }

    /** True when the packet carries an ack id. */
    public boolean hasId() {
        return id != NO_ID;
    }

    /** The arguments of an EVENT or ACK (for an EVENT, element 0 is the event name). */
    @SuppressWarnings("unchecked")
    public List<Object> args() {
        if (!(data instanceof List)) {
            throw new IllegalStateException(type + " packet has no argument list");
        }
        return (List<Object>) data;
    }
}
