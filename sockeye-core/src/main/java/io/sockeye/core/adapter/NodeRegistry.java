package io.sockeye.core.adapter;

import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The other nodes of a cluster adapter, learned from their messages (socket.io's
 * {@code ClusterAdapterWithHeartbeat.nodesMap}): any message from a node counts as a sign of life;
 * every heartbeat interval this node sends its own heartbeat and forgets nodes not heard from within
 * the heartbeat timeout. Thread-safe.
 */
final class NodeRegistry {

    private final ClusterAdapterOptions options;
    private final Runnable sendHeartbeat;
    private final Consumer<String> onGone;
    private final ConcurrentHashMap<String, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> task;

    public NodeRegistry(ClusterAdapterOptions options, Runnable sendHeartbeat, Consumer<String> onGone) {
        this.options = options;
        this.sendHeartbeat = sendHeartbeat;
        this.onGone = onGone;
    }

    public void start() {
        long interval = options.heartbeatInterval().toNanos();
        task = options.scheduler().scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.NANOSECONDS);
    }

    public void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        lastSeen.clear();
    }

    /** A message from {@code uid} arrived. */
    public void seen(String uid) {
        lastSeen.put(uid, System.nanoTime());
    }

    /** {@code uid} announced it is leaving. */
    public void remove(String uid) {
        if (uid != null && lastSeen.remove(uid) != null) {
            onGone.accept(uid);
        }
    }

    public int size() {
        return lastSeen.size();
    }

    /** A snapshot of the known node ids. */
    public Set<String> uids() {
        return Set.copyOf(lastSeen.keySet());
    }

    private void tick() {
        try {
            sendHeartbeat.run();
            sweep();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: keep beating whatever happened.
            LoggerFactory.getLogger(NodeRegistry.class).warn("heartbeat tick failed", e);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        long timeout = options.heartbeatTimeout().toNanos();
        for (Map.Entry<String, Long> node : lastSeen.entrySet()) {
            // remove(key, value) so that a node seen again meanwhile is kept
            if (now - node.getValue() > timeout && lastSeen.remove(node.getKey(), node.getValue())) {
                onGone.accept(node.getKey());
            }
        }
    }
}
