package io.sockeye.core.adapter;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.Parser;
import io.sockeye.core.engine.FlushBatch;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The local recipients of one broadcast, grouped by the event loop their connection is pinned to,
 * so that the write to N sockets costs one task per loop (and one flush per connection at the end of
 * that task) instead of one hop per socket. A broadcast's task on each loop makes the loop's
 * {@link BroadcastPacket} and releases it after the last recipient there: the one Engine.IO message
 * (and so the one prepared frame per wire variant) of that broadcast on that loop. Not thread-safe:
 * built and run by one caller.
 */
final class LocalFanout {

    private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

    private final NamespaceContext namespace;
    private final SockeyeMetrics metrics;
    // Most broadcasts target one socket or one loop: keep the first group out of the map.
    private EventExecutor firstExecutor;
    private List<LocalSocket> firstGroup;
    private Map<EventExecutor, List<LocalSocket>> otherGroups;
    private int size;
    private boolean jsonRecipients;
    private boolean msgpackRecipients;
    private long startedAt; // when the first recipient was found: the start of the delivery time

    /** @param namespace the recipients' namespace: its encoders, and its server's metrics for the fan-out */
    LocalFanout(NamespaceContext namespace) {
        this.namespace = namespace;
        this.metrics = namespace.metrics();
    }

    void add(LocalSocket socket) {
        EventExecutor executor = socket.executor();
        size++;
        if (socket.parser() == Parser.MSGPACK) {
            msgpackRecipients = true;
        } else {
            jsonRecipients = true;
        }
        if (firstGroup == null) {
            if (metrics.enabled()) {
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
    int size() {
        return size;
    }

    /**
     * Runs {@code action} for every recipient on its event loop. Groups of other loops are submitted
     * first so they proceed in parallel; the caller's own loop group, if any, runs inline (keeping
     * the caller's write order towards its own connections).
     */
    void run(Consumer<LocalSocket> action) {
        runGroups(group -> each(group, action), null, null);
    }

    /**
     * A broadcast's writes: {@code packet} is encoded once for each parser the recipients use (on the
     * calling thread, so an encoding error reaches the caller), then on each loop one
     * {@link BroadcastPacket} is handed to {@code write} with each recipient there, then released. Also
     * reports the fan-out and the time until the last recipient's write (once every loop's group is done).
     */
    void broadcast(SocketPacket packet, BiConsumer<LocalSocket, BroadcastPacket> write) {
        broadcast(packet, null, BroadcastPacket.NO_SEQUENCE, write, null);
    }

    /**
     * {@link #broadcast} of a connection state recovery stream's packet at {@code sequence}, whose JSON
     * encoding {@code encoded} the stream already made (offset included): the caller's own loop group runs
     * inline only when {@code order} says none of the stream's earlier groups is still queued there, else
     * it is queued behind them, so every loop gets the stream in sequence order. Call under the stream's
     * lock.
     */
    void broadcast(SocketPacket packet, EncodedPacket encoded, long sequence,
                   BiConsumer<LocalSocket, BroadcastPacket> write, LoopOrder order) {
        if (firstGroup == null) {
            return;
        }
        EncodedPacket json = !jsonRecipients ? null : encoded != null ? encoded : namespace.encoder().encode(packet);
        byte[] utf8 = json != null ? OutboundPacket.messageUtf8(json.text()) : null; // once, for every loop
        byte[] msgpack = msgpackRecipients
                ? namespace.msgpackEncoder().encode(packet, MsgpackPacketEncoder.Origin.BROADCAST) : null;
        Consumer<List<LocalSocket>> perLoop = group -> {
            BroadcastPacket loopPacket = new BroadcastPacket(packet, json, utf8, msgpack, sequence);
            try {
                if (FlushBatch.broadcastStarts(group.get(0).executor())) {
                    // Alone on its loop: each recipient's bytes leave before the next is written.
                    each(group, socket -> {
                        write.accept(socket, loopPacket);
                        FlushBatch.flushNow();
                    });
                } else {
                    each(group, socket -> write.accept(socket, loopPacket));
                }
            } finally {
                loopPacket.release(); // the sessions that queued its messages hold their own references
            }
        };
        if (!metrics.enabled()) {
            runGroups(perLoop, null, order);
            return;
        }
        SockeyeMetrics m = metrics;
        int recipients = size;
        long start = startedAt;
        AtomicInteger groupsLeft = new AtomicInteger(1 + (otherGroups == null ? 0 : otherGroups.size()));
        runGroups(perLoop, () -> {
            if (groupsLeft.decrementAndGet() == 0) {
                m.broadcastDelivered(recipients, System.nanoTime() - start);
            }
        }, order);
    }

    // afterGroup (may be null) runs on each group's loop once the group is done, even if its loop
    // refused the task (the broadcast is then over for that group too). With an order, a group runs
    // inline only if the order allows it, and queued groups are counted until they ran.
    private void runGroups(Consumer<List<LocalSocket>> task, Runnable afterGroup, LoopOrder order) {
        if (firstGroup == null) {
            return;
        }
        List<LocalSocket> inline = null;
        if (otherGroups != null) {
            for (Map.Entry<EventExecutor, List<LocalSocket>> group : otherGroups.entrySet()) {
                if (runsInline(group.getKey(), order)) {
                    inline = group.getValue();
                } else {
                    submit(group.getKey(), group.getValue(), task, afterGroup, order);
                }
            }
        }
        if (runsInline(firstExecutor, order)) {
            runGroup(firstGroup, task, afterGroup);
        } else {
            submit(firstExecutor, firstGroup, task, afterGroup, order);
        }
        if (inline != null) {
            runGroup(inline, task, afterGroup);
        }
    }

    private static boolean runsInline(EventExecutor executor, LoopOrder order) {
        return executor.inEventLoop() && (order == null || order.mayRunInline(executor));
    }

    private static void submit(EventExecutor executor, List<LocalSocket> group, Consumer<List<LocalSocket>> task,
                               Runnable afterGroup, LoopOrder order) {
        AtomicInteger pending = order == null ? null : order.queued(executor);
        try {
            executor.execute(() -> {
                try {
                    runGroup(group, task, afterGroup);
                } finally {
                    if (pending != null) {
                        LoopOrder.ran(pending);
                    }
                }
            });
        } catch (RuntimeException e) {
            // A loop that is shutting down rejects tasks; its connections are closing anyway.
            log.debug("broadcast to {} sockets dropped: event loop rejected the task", group.size(), e);
            if (pending != null) {
                LoopOrder.ran(pending);
            }
            if (afterGroup != null) {
                afterGroup.run();
            }
        }
    }

    private static void runGroup(List<LocalSocket> group, Consumer<List<LocalSocket>> task, Runnable afterGroup) {
        try {
            task.accept(group);
        } finally {
            if (afterGroup != null) {
                afterGroup.run();
            }
        }
    }

    private static void each(List<LocalSocket> group, Consumer<LocalSocket> action) {
        for (LocalSocket socket : group) {
            try {
                action.accept(socket);
            } catch (RuntimeException e) {
                // One broken connection must not cost the other recipients their packet.
                log.warn("broadcast step failed for socket {}", socket.id(), e);
            }
        }
    }
}
