package io.sockeye.core.engine;

import io.sockeye.core.spi.transport.OutboundPacket;

import java.util.List;

/**
 * A session's current (or upgrading) transport. All methods run on the session's executor.
 */
abstract class Transport {

    /** How the transport should end when the session closes. */
    enum CloseKind {
        /** The server closes: a polling GET in flight receives the close packet {@code 1}. */
        SERVER,
        /** The client sent a close packet: a polling GET in flight is released with a noop {@code 6}. */
        CLIENT,
        /** The transport already failed; nothing can be written. */
        FAILED,
        /**
         * The server closes a peer that does not read (a slow consumer): what is queued is discarded and
         * the connection closed now, abortively if need be (polling: as {@link #SERVER}).
         */
        DISCARD
    }

    protected EngineSession session;

    void attach(EngineSession session) {
        this.session = session;
    }

    abstract String name();

    /** Whether {@link #send} can be called now (polling: a GET is parked; WebSocket: always). */
    abstract boolean writable();

    /**
     * Writes the packets and flushes; takes over their references and releases every one, written or
     * not. Only called when {@link #writable()}.
     */
    abstract void send(List<OutboundPacket> packets);

    /** Whether the network side can take more bytes (volatile packets are dropped otherwise). */
    abstract boolean networkWritable(long queuedInSession, int highWaterMark);

    /** Bytes queued inside the transport (not counting the session's own write buffer). */
    abstract long pendingBytes();

    /** Ends the transport. Idempotent. */
    abstract void close(CloseKind kind);

    /** Whether the network side is short of buffer memory (see {@code WebSocketChannel.memoryPressure}). */
    boolean memoryPressure() {
        return false;
    }

    /**
     * Runs {@code task} once the transport's network connection is gone (any thread); at once for a
     * transport that holds none between requests (polling).
     */
    void whenReleased(Runnable task) {
        task.run();
    }
}
