package io.sockeye.core.adapter;

import io.netty.util.concurrent.EventExecutor;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps one stream's writes in order on each event loop: a group may run inline on the caller's loop
 * only when none of the stream's earlier groups is still queued there; otherwise it is queued behind
 * them. The counts are per loop; {@link #mayRunInline} and {@link #queued} are called under the
 * stream's lock, {@link #ran} on the loop after the queued group ran.
 */
final class LoopOrder {

    private final Map<EventExecutor, AtomicInteger> pending = new IdentityHashMap<>();

    /** Called under the stream's lock, on {@code loop}: whether nothing of the stream is queued there. */
    boolean mayRunInline(EventExecutor loop) {
        AtomicInteger count = pending.get(loop);
        return count == null || count.get() == 0;
    }

    /** Called under the stream's lock before a group is queued on {@code loop}; the returned counter is released by the task. */
    AtomicInteger queued(EventExecutor loop) {
        AtomicInteger count = pending.computeIfAbsent(loop, l -> new AtomicInteger());
        count.incrementAndGet();
        return count;
    }

    /** The queued group ran (or its loop refused it). */
    static void ran(AtomicInteger count) {
        count.decrementAndGet();
    }
}
