package io.sockeye.server.rooms;

import io.sockeye.core.SocketIoServer;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Offsets and room history answers of the rooms protocol and the HTTP API, over the namespace's
 * {@link RoomHistory} (there whenever connection state recovery is on, as it is by default).
 */
final class RoomHistoryReplies {

    private final SocketIoServer io;

    RoomHistoryReplies(SocketIoServer io) {
        this.io = io;
    }

    private RoomHistory history() {
        return io.of("/").roomHistory();
    }

    /** Whether the server keeps history (connection state recovery on). */
    boolean enabled() {
        return history() != null;
    }

    /** The stream's head offset, or {@code null} without history. */
    String headOffset() {
        RoomHistory history = history();
        return history == null ? null : history.headOffset();
    }

    /**
     * The position {@code offset} stands for.
     *
     * @throws RoomsException {@code invalid} when it is not an offset of this server's format, or the
     *                        server keeps no history
     */
    StreamPosition position(String offset) {
        RoomHistory history = history();
        StreamPosition position = history == null ? null : history.parse(offset);
        if (position == null) {
            throw new RoomsException(ErrorCode.INVALID, history == null ? "this server keeps no history"
                    : "since is not an offset of this server");
        }
        return position;
    }

    /**
     * {@code {ok, recovered, messages:[{event, data, meta}], offset}}: the room's messages after
     * {@code since} (or its newest), oldest first; {@code recovered:false} and no messages when the history
     * no longer reaches back to {@code since}.
     */
    CompletableFuture<Map<String, Object>> read(String room, StreamPosition since, int limit) {
        RoomHistory history = history();
        if (history == null) {
            return CompletableFuture.completedFuture(Replies.ok("recovered", since == null, "messages", List.of(),
                    "offset", null));
        }
        return history.read(room, since, limit).thenApply(page -> {
            List<Map<String, Object>> messages = new ArrayList<>(page.messages().size());
            for (RoomHistory.Message m : page.messages()) {
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("event", m.event());
                message.put("data", m.args().isEmpty() ? null : m.args().get(0));
                message.put("meta", m.args().size() < 2 ? null : m.args().get(1));
                messages.add(message);
            }
            return Replies.ok("recovered", page.status() == HistoryRead.Status.OK, "messages", messages,
                    "offset", page.offset());
        });
    }
}
