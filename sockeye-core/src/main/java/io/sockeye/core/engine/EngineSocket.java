package io.sockeye.core.engine;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.spi.transport.OutboundPacket;

import java.util.List;

/**
 * One Engine.IO session as the Socket.IO layer sees it. Transport-agnostic: the session may be on
 * long-polling now and on WebSocket a moment later.
 *
 * <p>Threading: the session is pinned to {@link #executor()}; its listener is called there. The send
 * methods may be called from any thread (they hop to the executor when needed) and never block.
 * Writes are coalesced: packets sent in one executor task are flushed together once the task ends.
 */
public interface EngineSocket {

    /** The secret Engine.IO session id (never shown to other clients). */
    String id();

    /** The event loop this session is pinned to. */
    EventExecutor executor();

    /** {@code "polling"}, {@code "websocket"}, or the name of a transport that stands in for WebSocket ({@code "sse"}). */
    String transportName();

    /** The request that opened the session. */
    RequestInfo request();

    /**
     * Runs {@code task} on {@link #executor()} after {@code delayMillis}, from the engine's shared timer
     * wheel (10 ms resolution) rather than a scheduled task per connection on the event loop. For
     * per-connection timeouts (connect, acks), which almost never fire and are usually cancelled.
     */
    EngineTimer.Cancellable schedule(Runnable task, long delayMillis);

    /** Sets the receiver of this session's messages; called once, right after the session opens. */
    void setListener(EngineListener listener);

    /**
     * Sends one text message packet followed by its binary attachments (one binary message packet
     * each), atomically with respect to other sends.
     */
    void send(String text, List<byte[]> attachments);

    /**
     * Same as {@link #send(String, List)} with a message that the sessions of this event loop share: a
     * broadcast's packet on this loop, text ({@link OutboundPacket#shared}) or, for msgpack connections,
     * binary ({@link OutboundPacket#binary}), whose wire frames the transports prepare once for all of
     * them. The session takes a reference of its own; the caller keeps and releases its reference. Call
     * it on {@link #executor()}.
     */
    void send(OutboundPacket message, List<byte[]> attachments);

    /** Sends one binary message packet (bare Engine.IO, or one msgpack packet of a msgpack connection). */
    void sendBinary(byte[] data);

    /**
     * Whether the outbound buffer is below its high-water mark. Volatile packets are dropped while
     * this is false.
     */
    boolean isWritable();

    /** Number of bytes queued for this session and not yet written to the network. */
    long bufferedBytes();

    /** Whether the session is open. */
    boolean isOpen();

    /**
     * Closes the session: flushes what is queued, closes the transport and reports
     * {@code onClose(reason)} to the listener (once, on the executor).
     */
    void close(String reason);

    /**
     * Runs {@code task} once the session is closed <em>and</em> its network connection is gone (a
     * WebSocket's socket really closed; polling holds none between requests), on any thread. That can be
     * later than {@code onClose}: a peer that stopped reading keeps its socket until the server cuts it
     * off. For limits that count connections until their sockets are gone. Default: at once.
     */
    default void whenReleased(Runnable task) {
        task.run();
    }
}
