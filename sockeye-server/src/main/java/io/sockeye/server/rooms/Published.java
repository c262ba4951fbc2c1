package io.sockeye.server.rooms;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An accepted publish ({@link RoomsService#publish}).
 *
 * @param id     the message id ({@code meta.id})
 * @param offset completes with its offset ({@code meta.offset}; {@code null} without history): at once with
 *               this node's history, once the bus took the message where a shared cluster history
 *               positions it, and exceptionally when the bus refused it (then no node delivered it)
 */
public record Published(String id, CompletableFuture<String> offset) {

    /**
     * The publish's answer to a client and from the HTTP API, {@code {ok, id, offset}}, once the offset is
     * known; fails with {@code unavailable} (carrying the id) when the bus refused the message.
     */
    public CompletableFuture<Map<String, Object>> reply() {
        return offset.handle((value, error) -> {
            if (error != null) {
                throw new RoomsException(ErrorCode.UNAVAILABLE,
                        "the cluster did not take the message, it was not delivered: try again", id);
            }
            return Replies.ok("id", id, "offset", value);
        });
    }
}
