package io.sockeye.core.internal.adapter;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.adapter.LocalSocket;
import io.sockeye.core.metrics.SockeyeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The local recipients of one broadcast, grouped by the event loop their connection is pinned to,
 * so that the write to N sockets costs one task per loop (and one flush per connection at the end of
 * that task) instead of one hop per socket. Not thread-safe: built and run by one caller.
 */
public final class LocalFanout {

    private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

    // Most broadcasts target one socket or one loop: keep the first group out of the map.
    private EventExecutor firstExecutor;
    private List<LocalSocket> firstGroup;
    private Map<EventExecutor, List<LocalSocket>> otherGroups;
    private int size;
    // The recipients' server metrics, learnt from the first recipient (NOOP for sockets that do not
    // say), and when that recipient was found: the start of the broadcast's delivery time.
    private SockeyeMetrics metrics = SockeyeMetrics.NOOP;
    private long startedAt;

    public void add(LocalSocket socket) {
        EventExecutor executor = socket.executor();
        size++;
        if (firstGroup == null) {
            if (socket instanceof MeteredSocket metered && metered.metrics().enabled()) {
                metrics = metered.metrics();
                startedAt = System.nanoTime();
            }
            firstExecutor = executor;
            firstGroup = new ArrayList<>();
            firstGroup.add(socket);
        } else if (executor == firstExecutor) {
            firstGroup.add(socket);
        } else {
            if (otherGroups == null) {
                otherGroups = new IdentityHashMap<>();
            }
            otherGroups.computeIfAbsent(executor, e -> new ArrayList<>()).add(socket);
        }
    }

    /** Number of recipients added. */
    public int size() {
        return size;
    }

    /**
     * Runs {@code action} for every recipient on its event loop. Groups of other loops are submitted
     * first so they proceed in parallel; the caller's own loop group, if any, runs inline (keeping
     * the caller's write order towards its own connections).
     */
    public void run(Consumer<LocalSocket> action) {
        runGroups(action, null);
    }

    /**
     * {@link #run} for a broadcast's writes, which also reports the fan-out and the time until the
     * last recipient's write (once every loop's group is done) to the recipients' server metrics.
     */
    public void broadcast(Consumer<LocalSocket> write) {
        if (firstGroup == null || !metrics.enabled()) {
            runGroups(write, null);
            return;
        }
        SockeyeMetrics m = metrics;
        int recipients = size;
        long start = startedAt;
        AtomicInteger groupsLeft = new AtomicInteger(1 + (otherGroups == null ? 0 : otherGroups.size()));
        runGroups(write, () -> {
            if (groupsLeft.decrementAndGet() == 0) {
                m.broadcastDelivered(recipients, System.nanoTime() - start);
            }
        });
    }

    // afterGroup (may be null) runs on each group's loop once the group is done, even if its loop
    // refused the task (the broadcast is then over for that group too).
    private void runGroups(Consumer<LocalSocket> action, Runnable afterGroup) {
        if (firstGroup == null) {
            return;
        }
        List<LocalSocket> inline = null;
        if (otherGroups != null) {
            for (Map.Entry<EventExecutor, List<LocalSocket>> group : otherGroups.entrySet()) {
                if (group.getKey().inEventLoop()) {
                    inline = group.getValue();
                } else {
                    submit(group.getKey(), group.getValue(), action, afterGroup);
                }
            }
        }
        if (firstExecutor.inEventLoop()) {
            runGroup(firstGroup, action, afterGroup);
        } else {
            submit(firstExecutor, firstGroup, action, afterGroup);
        }
        if (inline != null) {
            runGroup(inline, action, afterGroup);
        }
    }

    private static void submit(EventExecutor executor, List<LocalSocket> group, Consumer<LocalSocket> action,
                               Runnable afterGroup) {
        try {
            executor.execute(() -> runGroup(group, action, afterGroup));
        } catch (RuntimeException e) {
            // A loop that is shutting down rejects tasks; its connections are closing anyway.
            log.debug("broadcast to {} sockets dropped: event loop rejected the task", group.size(), e);
            if (afterGroup != null) {
                afterGroup.run();
            }
        }
    }

    private static void runGroup(List<LocalSocket> group, Consumer<LocalSocket> action, Runnable afterGroup) {
        for (LocalSocket socket : group) {
            try {
                action.accept(socket);
            } catch (RuntimeException e) {
                // One broken connection must not cost the other recipients their packet.
                log.warn("broadcast step failed for socket {}", socket.id(), e);
            }
        }
        if (afterGroup != null) {
            afterGroup.run();
        }
    }
}
