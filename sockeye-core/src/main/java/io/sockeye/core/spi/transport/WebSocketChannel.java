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
     * Queues {@code packet} as one text frame. The packet stays the caller's (it releases its reference
     * after this returns): write a share of its prepared frame ({@link OutboundPacket#prepared}, or
     * {@link OutboundPacket#prepare} it the first time), never keep the packet.
     */
    void writeText(OutboundPacket packet);

    /** Queues one binary frame; the array is handed over and must not be modified afterwards. */
    void writeBinary(byte[] data);

    void flush();

    /** Sends a normal close frame (1000) and closes the connection. */
    void close();

    /** Whether the channel's outbound buffer is under its high-water mark. */
    boolean isWritable();

    /** Bytes queued in the channel and not yet written to the socket. */
    long pendingBytes();
}
