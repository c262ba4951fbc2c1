package io.sockeye.core.recovery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What connection state recovery keeps of one socket: enough to bring it back with the same id, rooms
 * and data, and to know from where to replay.
 *
 * <p>A record is saved when the socket connects and updated when its rooms change and when it
 * disconnects, so a node that dies without a word has already left its sessions in a shared store.
 * Each live socket owns its record through its {@code incarnation}: conditional writes
 * ({@link SessionStore#update}, {@link SessionStore#delete}) of an older incarnation — a half-open
 * "ghost" connection whose session was taken over — never touch the newer record.
 *
 * @param pid            the private session id the client presents on reconnect (a secret)
 * @param sid            the Socket.IO socket id, reused by the restored socket
 * @param namespace      the namespace name, e.g. {@code /chat}
 * @param rooms          the socket's rooms (its own id room included), each with the sequence its
 *                       membership started after (see {@link HistoryQuery})
 * @param data           a copy of the socket's {@code data}
 * @param position       the stream position when the socket connected or was last restored: replay
 *                       never starts before it (a client that received no event presents no offset)
 * @param incarnation    a random id of the socket instance that owns the record
 * @param disconnectedAt when the socket disconnected (milliseconds of the recovery clock), 0 while
 *                       connected
 */
public record SessionRecord(String pid, String sid, String namespace, Map<String, Long> rooms,
                            Map<String, Object> data, StreamPosition position, String incarnation,
                            long disconnectedAt) {

    public SessionRecord {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(incarnation, "incarnation");
        rooms = rooms == null ? Map.of() : Map.copyOf(rooms);
        // socket.data may hold nulls, which Map.copyOf refuses
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Whether the socket was connected when the record was written. */
    public boolean connected() {
        return disconnectedAt == 0;
    }

    /** The same record stamped as disconnected at {@code millis}. */
    public SessionRecord disconnected(long millis) {
        return new SessionRecord(pid, sid, namespace, rooms, data, position, incarnation, Math.max(1, millis));
    }
}
