package io.sockeye.core.engine;

import io.sockeye.core.spi.transport.OutboundPacket;

import java.util.ArrayList;
import java.util.List;

/**
 * The write buffer of a session: the packets sent during the current event-loop task, not yet handed
 * to the transport. It owns one reference of each packet, which passes to the transport with
 * {@link #takeQueued()} or is released by {@link #dropQueued()}. A superclass of {@link EngineSession}
 * rather than a field, so that an idle connection costs no extra object. Event loop only.
 */
abstract class SessionWriteBuffer {

    // null while empty (an idle session holds no buffer), an immutable one-element list for the usual
    // single packet (a broadcast costs no list per recipient), an ArrayList from the second; handed
    // whole to the transport on flush and replaced (no copy, no clear).
    private List<OutboundPacket> queued;
    private long queuedBytes;
    private boolean flushScheduled;

    /** Arranges for the buffer to be flushed once the current task is done. */
    abstract void scheduleFlush();

    /** Queues {@code packet}, taking over the caller's reference. */
    final void enqueue(OutboundPacket packet) {
        List<OutboundPacket> buffer = queued;
        if (buffer == null) {
            queued = List.of(packet);
        } else if (buffer instanceof ArrayList<OutboundPacket> list) {
            list.add(packet);
        } else {
            ArrayList<OutboundPacket> list = new ArrayList<>(4);
            list.addAll(buffer);
            list.add(packet);
            queued = list;
        }
        queuedBytes += packet.size();
        if (!flushScheduled) {
            flushScheduled = true;
            scheduleFlush();
        }
    }

    /** The scheduled flush is running: later packets schedule another. */
    final void flushed() {
        flushScheduled = false;
    }

    final boolean hasQueued() {
        return queued != null;
    }

    final long queuedBytes() {
        return queuedBytes;
    }

    /** Empties the buffer; the caller (the transport) now owns the packets' references. */
    final List<OutboundPacket> takeQueued() {
        List<OutboundPacket> batch = queued;
        queued = null;
        queuedBytes = 0;
        return batch;
    }

    /** Empties the buffer without sending: the packets' references are released. */
    final void dropQueued() {
        List<OutboundPacket> batch = takeQueued();
        if (batch != null) {
            releaseAll(batch);
        }
    }

    /** Releases one reference of each packet; every one is released even if one fails. */
    static void releaseAll(List<OutboundPacket> packets) {
        RuntimeException failure = null;
        for (int i = 0, n = packets.size(); i < n; i++) {
            try {
                packets.get(i).release();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
