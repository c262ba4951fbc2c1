package io.sockeye.core.spi.transport;

import io.netty.util.concurrent.EventExecutor;

/**
 * A WebSocket connection as the engine writes to it; implemented by the transport. The engine calls
 * every method on the session's event loop. Write methods queue without flushing; {@link #flush()}
 * writes the batch.
 */
public interface WebSocketChannel {

    /** The event loop of the connection; a session opened on this connection is pinned to it. */
    EventExecutor executor();

    /**
     * The transport's name in metrics and in {@code Socket.transport()}: {@code "websocket"} by default. A
     * transport that carries a session over something else in WebSocket's place (e.g. a Server-Sent Events
     * stream) names itself, so that its connections are counted apart.
     */
    default String transportName() {
        return "websocket";
    }

    /**
     * Queues {@code packet} as one text frame. The packet stays the caller's (it releases its reference
     * after this returns): write a share of its prepared frame ({@link OutboundPacket#prepared}, or
     * {@link OutboundPacket#prepare} it the first time), never keep the packet.
     */
    void writeText(OutboundPacket packet);

    /**
     * Queues the binary {@code packet} ({@link OutboundPacket#isBinary()}) as one binary frame, lent as
     * for {@link #writeText}: a msgpack broadcast's message is one packet shared by every recipient on
     * the loop, so its frame is prepared once and written as shares.
     */
    void writeBinary(OutboundPacket packet);

    void flush();

    /**
     * Sends a normal close frame (1000) and closes the connection. A peer that does not take the close
     * (it stopped reading, so the frame waits behind unsent data) is cut off after a short deadline.
     */
    void close();

    /**
     * Closes the connection at once for a peer that does not read (a slow consumer), discarding what is
     * queued for it: a close frame only if it can go out at once, otherwise an abortive close (a TCP
     * reset), so that the connection and its buffers are released now. Default: {@link #close()}.
     */
    default void abort() {
        close();
    }

    /**
     * Runs {@code task} once the connection is closed — its socket is gone, not just asked to close — or
     * at once if it already is; on any thread. Default: at once (a transport that cannot tell).
     */
    default void whenClosed(Runnable task) {
        task.run();
    }

    /**
     * Whether the transport is short of buffer memory (its direct memory near the limit). The engine then
     * closes a connection over its write high-water mark as a slow consumer rather than queue more for it,
     * so that slow consumers are refused before anyone else. Cheap: called only for such connections.
     */
    default boolean memoryPressure() {
        return false;
    }

    /** Whether the channel's outbound buffer is under its high-water mark. */
    boolean isWritable();

    /** Bytes queued in the channel and not yet written to the socket. */
    long pendingBytes();
}
