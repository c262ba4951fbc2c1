package io.sockeye.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Selects sockets of a namespace by room and acts on all of them. Immutable: every selector returns
 * a new operator. With no room the operator selects every socket of the namespace; rooms are
 * united; {@link #except} wins over them.
 *
 * <pre>{@code
 * io.to("room1").to("room2").except("muted").emit("news", article);
 * io.timeout(Duration.ofSeconds(5)).emitWithAck("ready?").thenAccept(replies -> ...);
 * }</pre>
 */
public interface BroadcastOperator {

    /** Adds rooms to the selection. */
    BroadcastOperator to(String... rooms);

    BroadcastOperator to(Collection<String> rooms);

    /** Same as {@link #to(String...)}. */
    BroadcastOperator in(String... rooms);

    /** Excludes the sockets in these rooms. */
    BroadcastOperator except(String... rooms);

    BroadcastOperator except(Collection<String> rooms);

    /** Packets may be dropped for connections that are not ready to take them. */
    BroadcastOperator asVolatile();

    /** Only this server's sockets, never other nodes of a cluster. */
    BroadcastOperator local();

    /** Compression hint for the transport. */
    BroadcastOperator compress(boolean compress);

    /** Required for {@link #emitWithAck}: how long to wait for the replies. */
    BroadcastOperator timeout(Duration timeout);

    /**
     * Sends an event to every selected socket; the packet is encoded once.
     *
     * @throws IllegalArgumentException if {@code event} is a reserved name
     */
    void emit(String event, Object... args);

    /**
     * {@link #emit}, completing with the offset connection state recovery gave the broadcast (the last
     * argument clients receive, and what {@link io.sockeye.core.recovery.OffsetPlaceholder} in the
     * arguments becomes), or {@code null} when there is none or it is not known here (see
     * {@link io.sockeye.core.adapter.Adapter#broadcastWithOffset}). For a broadcast to several
     * namespaces (a parent namespace) it is the first one's.
     *
     * @throws IllegalArgumentException if {@code event} is a reserved name
     */
    CompletableFuture<String> emitWithOffset(String event, Object... args);

    /**
     * Sends an event to every selected socket and collects one reply per socket. The future completes
     * once every socket (on every node) replied, or fails with {@link AckTimeoutException} carrying the
     * partial replies when the {@link #timeout(Duration)} passes.
     *
     * @throws IllegalStateException if no timeout was set
     */
    CompletableFuture<List<Args>> emitWithAck(String event, Object... args);

    /** The selected sockets, on every node. */
    CompletableFuture<List<RemoteSocket>> fetchSockets();

    /** Makes the selected sockets join {@code rooms}. */
    void socketsJoin(String... rooms);

    /** Makes the selected sockets leave {@code rooms}. */
    void socketsLeave(String... rooms);

    /**
     * Disconnects the selected sockets ({@code server namespace disconnect}); with {@code close} the
     * whole underlying connection is closed too.
     */
    void disconnectSockets(boolean close);
}
