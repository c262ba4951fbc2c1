package io.sockeye.core.internal.engine;

import io.netty.util.concurrent.EventExecutor;

/**
 * A WebSocket connection as the engine writes to it; implemented by the network layer. Write
 * methods queue without flushing; {@link #flush()} writes the batch.
 */
public interface WsChannel {

    EventExecutor executor();

    void writeText(Outbound packet);

    void writeBinary(byte[] data);

    void flush();

    /** Sends a normal close frame (1000) and closes the connection. */
    void close();

    /** Whether the channel's outbound buffer is under its high-water mark. */
    boolean isWritable();

    /** Bytes queued in the channel and not yet written to the socket. */
    long pendingBytes();
}
