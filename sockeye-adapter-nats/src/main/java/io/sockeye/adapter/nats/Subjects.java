package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The NATS subjects of one namespace:
 * <ul>
 *   <li>{@code <prefix>.<nsp>.all}: every message for every node of the namespace;</li>
 *   <li>{@code <prefix>.<nsp>.node.<uid>}: responses to one node;</li>
 *   <li>{@code <prefix>.<nsp>.room.<room>}: in dynamic mode, broadcasts to that single room.</li>
 * </ul>
 *
 * <p>Namespace, room and uid become one subject token each through {@link #token}: NATS splits subjects
 * at {@code '.'}, treats {@code *} and {@code >} as wildcards and forbids whitespace, and names may
 * hold any of these.
 */
final class Subjects {

    /** Longer tokens are replaced by a hash: the server caps the protocol line (4 KiB by default). */
    static final int MAX_TOKEN_LENGTH = 128;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String base;
    private final String all;

    Subjects(String prefix, String nsp) {
        this.base = prefix + "." + token(nsp);
        this.all = base + ".all";
    }

    String all() {
        return all;
    }

    String node(String uid) {
        return base + ".node." + token(uid);
    }

    String room(String room) {
        return base + ".room." + token(room);
    }

    /**
     * Where a message goes. Dynamic mode sends a broadcast without acks to exactly one public room to
     * that room's subject, so only nodes with members receive it. Everything else uses {@code all}:
     * a broadcast to several rooms (one message per room subject would reach a socket in two rooms
     * twice), to a socket id (private rooms have no subject), to everyone, or with acks (every node must
     * answer with its client count), and every non-broadcast message.
     */
    String publishSubject(ClusterMessage message, SubscriptionMode mode) {
        if (mode == SubscriptionMode.DYNAMIC && message.data() instanceof Broadcast b
                && b.requestId() == null && b.opts().rooms().size() == 1) {
            String room = b.opts().rooms().iterator().next();
            if (!isPrivateRoom(room)) {
                return room(room);
            }
        }
        return all;
    }

    /**
     * Whether {@code room} is, by its shape, a socket's own room: 20 base64url characters, the form of
     * every Socket.IO socket id (socket.io's sharded adapter tells them apart by the same length 20).
     * Such rooms get no subject: a socket is in its own room on one node only, and a broadcast to it
     * must reach that node even when the socket left its own room. A user room of that shape is merely
     * broadcast on {@code all}.
     */
    static boolean isPrivateRoom(String room) {
        if (room.length() != 20) {
            return false;
        }
        for (int i = 0; i < room.length(); i++) {
            char c = room.charAt(i);
            if (!(isPlain(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * One subject token for any string, injective: ASCII letters, digits and {@code -} stay, every
     * other UTF-8 byte becomes {@code _XX} (upper-case hex), the empty string becomes {@code _}, and a
     * result longer than {@value #MAX_TOKEN_LENGTH} becomes {@code _h} plus 128 bits of its SHA-256 in
     * hex (lower-case {@code h} never follows {@code _} otherwise; a collision would only cost traffic,
     * as receivers filter by the real names).
     */
    static String token(String value) {
        if (value.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isPlain(c)) {
                sb.append(c);
            } else {
                sb.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        if (sb.length() <= MAX_TOKEN_LENGTH) {
            return sb.toString();
        }
        return "_h" + HexFormat.of().formatHex(sha256(value), 0, 16);
    }

    private static boolean isPlain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
