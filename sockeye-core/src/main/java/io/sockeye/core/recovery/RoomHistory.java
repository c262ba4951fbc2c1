package io.sockeye.core.recovery;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The history of a namespace's rooms, for clients without connection state recovery: one room's
 * messages after a position they hold, and positions as offsets. Obtained with
 * {@link io.sockeye.core.Namespace#roomHistory()} (only with recovery on); a socket catches up on a room it
 * joins with {@link io.sockeye.core.Socket#joinSince}. Thread-safe; nothing blocks.
 */
public interface RoomHistory {

    /** The position an offset string stands for, or {@code null} when it is not a valid offset. */
    StreamPosition parse(String offset);

    /** The offset of the stream's head as this node knows it: the position of the last broadcast. */
    String headOffset();

    /**
     * One room's messages: after {@code since} (the first {@code limit} of them, oldest first), or without
     * {@code since} the newest {@code limit} the history holds (oldest first). A {@code since} the history
     * no longer reaches back to, of another epoch or ahead of the head gives a page with that status and
     * no messages. Fails only when the store fails.
     *
     * @param since exclusive start, or {@code null} for the newest messages
     * @param limit at least 1
     */
    CompletableFuture<Page> read(String room, StreamPosition since, int limit);

    /**
     * A page of one room's history.
     *
     * @param status   whether the history covered the request ({@link HistoryRead.Status#OK}) or why not
     * @param messages the messages, oldest first (empty unless OK)
     * @param offset   where the page ends: the last message's offset when more follow, else the stream's
     *                 head when the read was made — the {@code since} of the next read
     * @param more     whether more messages follow {@code offset}
     */
    record Page(HistoryRead.Status status, List<Message> messages, String offset, boolean more) {
        public Page {
            Objects.requireNonNull(status, "status");
            messages = messages == null ? List.of() : List.copyOf(messages);
        }
    }

    /**
     * One replayable message as it was broadcast.
     *
     * @param offset its offset
     * @param event  its event name
     * @param args   its arguments, without the trailing offset (placeholders resolved)
     */
    record Message(String offset, String event, List<Object> args) {
    }

    /**
     * What {@link io.sockeye.core.Socket#joinSince} did.
     *
     * @param recovered whether the socket got every message of the room after the position (possibly none)
     * @param offset    the room's position once the replay was written: the offset a later {@code since}
     *                  continues from
     * @param replayed  how many messages were replayed
     * @param failure   why not recovered, one of {@link RecoveryFailure}'s reasons, or {@code null}
     */
    record Replay(boolean recovered, String offset, int replayed, String failure) {
    }
}
