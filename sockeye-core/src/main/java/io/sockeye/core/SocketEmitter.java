package io.sockeye.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Emits to one socket with per-emit flags. Immutable: every flag method returns a new emitter, so
 * one can be kept and reused ({@code var slow = socket.timeout(Duration.ofSeconds(10))}).
 */
public interface SocketEmitter {

    /**
     * Sends an event. Arguments may be any JSON-serializable values (maps, lists, POJOs, records),
     * with {@code byte[]}/{@code ByteBuffer} anywhere sent as binary attachments. Dropped silently
     * when the socket is no longer connected.
     *
     * @throws IllegalArgumentException if {@code event} is a reserved name ({@code connect},
     *                                  {@code connect_error}, {@code disconnect}, {@code disconnecting},
     *                                  {@code newListener}, {@code removeListener})
     */
    void emit(String event, Object... args);

    /**
     * Sends an event and asks the client for an acknowledgement. The future completes with the
     * client's reply, fails with {@link AckTimeoutException} when a {@link #timeout(Duration)} is set
     * and passes, and fails with {@link IllegalStateException} if the socket disconnects first.
     * It completes on the thread that runs the socket's handlers.
     */
    CompletableFuture<Args> emitWithAck(String event, Object... args);

    /** An emitter whose acknowledgements fail with {@link AckTimeoutException} after {@code timeout}. */
    SocketEmitter timeout(Duration timeout);

    /**
     * An emitter whose packets may be dropped when the connection is not ready to take them (its
     * outbound buffer is above the high-water mark) — for data that is stale once late.
     */
    SocketEmitter asVolatile();

    /** Whether the transport may compress this packet (socket.io's {@code compress} flag); true by default. */
    SocketEmitter compress(boolean compress);
}
