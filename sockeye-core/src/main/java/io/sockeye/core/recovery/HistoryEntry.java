package io.sockeye.core.recovery;

import io.sockeye.protocol.socket.EncodedPacket;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One broadcast kept for replay: its position, who it was for, and the packet exactly as it went out
 * (its offset already the last argument). Immutable; stored once however many rooms it targets.
 *
 * @param position  where the broadcast sits in its namespace's stream
 * @param rooms     the target rooms (empty = every socket of the namespace)
 * @param except    the excluded rooms
 * @param packet    the encoded packet, offset included
 * @param timestamp when it was appended, in milliseconds of the store's clock
 */
public record HistoryEntry(StreamPosition position, Set<String> rooms, Set<String> except, EncodedPacket packet,
                           long timestamp) {

    /** A rough per-entry overhead in bytes (objects, references, deque slots), for the memory bounds. */
    private static final int OVERHEAD = 96;

    public HistoryEntry {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(packet, "packet");
        rooms = rooms == null ? Set.of() : Set.copyOf(rooms);
        except = except == null ? Set.of() : Set.copyOf(except);
    }

    /**
     * The packet to replay: {@link #packet()} with any {@link OffsetPlaceholder} left in it by the store
     * replaced by this entry's offset in {@code format}.
     */
    public EncodedPacket replayPacket(OffsetFormat format) {
        return OffsetPlaceholder.resolve(packet, format.format(position));
    }

    /** The stream sequence number of this entry. */
    public long sequence() {
        return position.sequence();
    }

    /**
     * Whether a session whose rooms are {@code rooms} (each mapped to the sequence after which its
     * membership counts, see {@link HistoryQuery}) is owed this entry: it targets one of those rooms
     * joined before it was published (or the whole namespace, when {@code namespaceWideAfter} is
     * lower than its sequence), and none of its except-rooms is one of them.
     */
    public boolean isFor(Map<String, Long> rooms, long namespaceWideAfter) {
        for (String room : except) {
            if (rooms.containsKey(room)) {
                return false;
            }
        }
        long sequence = position.sequence();
        if (this.rooms.isEmpty()) {
            return sequence > namespaceWideAfter;
        }
        for (String room : this.rooms) {
            Long after = rooms.get(room);
            if (after != null && sequence > after) {
                return true;
            }
        }
        return false;
    }

    /** An estimate of the memory the entry holds, in bytes (text, attachments, rooms, overhead). */
    public long estimatedBytes() {
        long bytes = OVERHEAD + packet.text().length();
        List<byte[]> attachments = packet.attachments();
        for (int i = 0, n = attachments.size(); i < n; i++) {
            bytes += attachments.get(i).length + 16;
        }
        for (String room : rooms) {
            bytes += 40 + room.length();
        }
        for (String room : except) {
            bytes += 40 + room.length();
        }
        return bytes;
    }
}
