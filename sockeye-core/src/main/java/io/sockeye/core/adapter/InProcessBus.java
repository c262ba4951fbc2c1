package io.sockeye.core.adapter;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster bus inside one JVM: several simulated nodes (each with its own
 * namespaces and adapters) talk through it as if through Redis. For tests and demos of multi-node
 * behaviour without a broker.
 *
 * <p>Like a real bus it is asynchronous: messages are handed to a delivery thread, in publish order
 * (one thread for the whole bus, so ordering per publisher holds trivially). Messages are passed as
 * objects, not bytes. Every published message gets an offset (a bus-wide sequence number), like a
 * durable stream.
 *
 * <p>{@link #disconnect(Adapter)} simulates a node crash: the adapter stays open but its messages go
 * nowhere and it receives nothing, so the other nodes only notice through the heartbeat timeout.
 */
public final class InProcessBus implements AutoCloseable {

    private final List<InProcessClusterAdapter> subscribers = new CopyOnWriteArrayList<>();
    private final Set<InProcessClusterAdapter> disconnected = ConcurrentHashMap.newKeySet();
    private final AtomicLong offsets = new AtomicLong();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sockeye-in-process-bus");
        thread.setDaemon(true);
        return thread;
    });

    /** A factory of adapters on this bus with default {@link ClusterAdapterOptions}. */
    public AdapterFactory adapterFactory() {
        return adapterFactory(ClusterAdapterOptions.defaults());
    }

    /** A factory of adapters on this bus; use one factory per simulated node. */
    public AdapterFactory adapterFactory(ClusterAdapterOptions options) {
        Objects.requireNonNull(options, "options");
        return namespace -> new InProcessClusterAdapter(namespace, this, options);
    }

    /**
     * Cuts {@code adapter} off the bus without it saying goodbye (a crash or network partition):
     * nothing it publishes is delivered, nothing is delivered to it.
     */
    public void disconnect(Adapter adapter) {
        if (adapter instanceof InProcessClusterAdapter node) {
            disconnected.add(node);
        } else {
            throw new IllegalArgumentException("not an adapter of this bus: " + adapter);
        }
    }

    /** Number of adapters of namespace {@code nsp} subscribed and connected (the bus's native count). */
    public int subscriberCount(String nsp) {
        int count = 0;
        for (InProcessClusterAdapter subscriber : subscribers) {
            if (subscriber.namespace().name().equals(nsp) && !disconnected.contains(subscriber)) {
                count++;
            }
        }
        return count;
    }

    /** Stops the delivery thread; messages still queued are dropped. */
    @Override
    public void close() {
        delivery.shutdownNow();
    }

    void subscribe(InProcessClusterAdapter adapter) {
        subscribers.add(adapter);
    }

    void unsubscribe(InProcessClusterAdapter adapter) {
        subscribers.remove(adapter);
        disconnected.remove(adapter);
    }

    /** Delivers to every subscriber of the namespace, the sender included (it drops its own). */
    String publish(InProcessClusterAdapter sender, ClusterMessage message) {
        String offset = Long.toString(offsets.incrementAndGet());
        if (disconnected.contains(sender)) {
            return offset;
        }
        deliver(() -> {
            for (InProcessClusterAdapter subscriber : subscribers) {
                if (subscriber.namespace().name().equals(message.nsp()) && !disconnected.contains(subscriber)) {
                    subscriber.receive(message, offset);
                }
            }
        });
        return offset;
    }

    void publishResponse(InProcessClusterAdapter sender, String targetUid, ClusterMessage message) {
        if (disconnected.contains(sender)) {
            return;
        }
        deliver(() -> {
            for (InProcessClusterAdapter subscriber : subscribers) {
                if (subscriber.uid().equals(targetUid) && !disconnected.contains(subscriber)) {
                    subscriber.receive(message, null);
                }
            }
        });
    }

    private void deliver(Runnable task) {
        try {
            delivery.execute(task);
        } catch (RejectedExecutionException e) {
            // The bus is closed: like a broker that went away, messages are lost.
        }
    }
}
