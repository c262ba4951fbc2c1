package io.sockeye.core.recovery;

import io.sockeye.protocol.socket.EncodedPacket;

import java.util.Set;
import java.util.function.Function;

/**
 * A {@link HistoryStore} that this node appends to: node-local history, where each node numbers the
 * broadcasts it delivers in its own stream (see {@link RecoveryBackend#nodeLocal}).
 *
 * <p>Obligations, on top of {@link HistoryStore}'s:
 * <ol>
 *   <li><b>Atomic append.</b> {@link #append} assigns the next position and stores the entry in one
 *       step: a concurrent {@link #read} sees both or neither, and {@link #head()} reaches the new
 *       position only with it. (A read whose {@code through} covers a position must hold that
 *       position's entry, or the reader would drop the live copy of a packet it never replayed.)</li>
 *   <li><b>Quick.</b> It never blocks: the Socket.IO layer calls it while holding the namespace's
 *       stream lock, so that positions reach every event loop in order.</li>
 * </ol>
 */
public interface LocalHistory extends HistoryStore {

    /**
     * Assigns the next position of the stream and, when {@code keep}, stores the entry for it.
     * Broadcasts that are not kept (volatile ones) still take a position, so their offset is real.
     *
     * @param rooms  the broadcast's target rooms (empty = the whole namespace)
     * @param except the broadcast's excluded rooms
     * @param keep   whether the entry is stored for replay
     * @param encode makes the packet for the assigned position (its offset appended); called once,
     *               inside the atomic step, so it must be quick
     * @return the entry, with its position and packet (also when not kept)
     */
    HistoryEntry append(Set<String> rooms, Set<String> except, boolean keep,
                        Function<StreamPosition, EncodedPacket> encode);
}
