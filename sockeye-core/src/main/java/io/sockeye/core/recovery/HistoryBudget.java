package io.sockeye.core.recovery;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory bound shared by every node-local history of one server ({@link HistoryBounds#maxBytes()}):
 * stores add what they keep and subtract what they evict; a store whose append leaves the node over
 * budget evicts its own oldest entries. Thread-safe.
 */
public final class HistoryBudget {

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public HistoryBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Bytes currently kept by the stores sharing this budget. */
    public long used() {
        return used.get();
    }

    public void add(long bytes) {
        used.addAndGet(bytes);
    }

    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Whether the stores keep more than {@link #maxBytes()}. */
    public boolean exceeded() {
        return used.get() > maxBytes;
    }
}
