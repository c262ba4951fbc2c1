package io.sockeye.core.adapter;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The takeovers of one node's namespace ({@link ClusterAdapter#disconnectRemote}), one bus message for many
 * sockets: while one is being published, the sockets restored meanwhile wait and go together in the next.
 * On a bus that keeps its messages in a bounded log (the Redis Streams adapter), a storm of restores after
 * a node died then appends about one entry per round trip to the bus, not one per client, and leaves the
 * log's history to the clients that replay it.
 */
final class TakeOvers {

    /** Most sockets in one message (a socket id is about 20 bytes). */
    static final int MAX_PER_MESSAGE = 1_000;

    private final Function<Set<String>, CompletableFuture<?>> publish;
    private Set<String> waiting; // guarded by this; not null while a message is being published

    /** {@code publish} sends one message closing the sockets of these ids on the other nodes. */
    TakeOvers(Function<Set<String>, CompletableFuture<?>> publish) {
        this.publish = publish;
    }

    void add(String sid) {
        synchronized (this) {
            if (waiting != null) {
                waiting.add(sid);
                return;
            }
            waiting = new LinkedHashSet<>();
        }
        send(Set.of(sid));
    }

    private void send(Set<String> sids) {
        CompletableFuture<?> sent;
        try {
            sent = publish.apply(sids);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e); // logged by the publisher; the next ones still go
        }
        sent.whenComplete((ok, error) -> {
            Set<String> next = new LinkedHashSet<>();
            synchronized (this) {
                Iterator<String> it = waiting.iterator();
                while (it.hasNext() && next.size() < MAX_PER_MESSAGE) {
                    next.add(it.next());
                    it.remove();
                }
                if (next.isEmpty()) {
                    waiting = null;
                    return;
                }
            }
            send(next);
        });
    }
}
