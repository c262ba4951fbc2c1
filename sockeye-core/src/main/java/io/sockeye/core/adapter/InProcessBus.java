package io.sockeye.core.adapter;

import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryStore;
import io.sockeye.core.recovery.InMemoryHistoryStore;
import io.sockeye.core.recovery.InMemorySessionStore;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 *
 * <p>A bus made by {@link #withSharedRecovery()} also keeps, per namespace, one connection state recovery
 * stream and one session store for all its nodes, the way a Redis backend does: each eligible broadcast
 * is positioned and kept as it is published (one step, in publish order), and delivered with its offset
 * to every node, the publisher included. It is the in-process reference of
 * {@link io.sockeye.core.recovery.RecoveryBackend#shared}.
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
    private final Map<String, SharedStream> streams; // by namespace; null unless the recovery stream is shared

    /** The shared recovery stores of one namespace; publishing a positioned broadcast holds its lock. */
    private record SharedStream(InMemoryHistoryStore history, InMemorySessionStore sessions) {
    }

    public InProcessBus() {
        this(false);
    }

    private InProcessBus(boolean sharedRecovery) {
        this.streams = sharedRecovery ? new ConcurrentHashMap<>() : null;
    }

    /** A bus whose nodes share one recovery stream and session store per namespace (see the class comment). */
    public static InProcessBus withSharedRecovery() {
        return new InProcessBus(true);
    }

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

    /** Stops the delivery thread (messages still queued are dropped) and drops the shared stores. */
    @Override
    public void close() {
        delivery.shutdownNow();
        if (streams != null) {
            streams.values().forEach(stream -> {
                stream.history().close();
                stream.sessions().close();
            });
        }
    }

    void subscribe(InProcessClusterAdapter adapter) {
        subscribers.add(adapter);
    }

    void unsubscribe(InProcessClusterAdapter adapter) {
        subscribers.remove(adapter);
        disconnected.remove(adapter);
    }

    /** The shared recovery backend of {@code adapter}'s namespace, or {@code null} on a bus without one. */
    RecoveryBackend recovery(InProcessClusterAdapter adapter, RecoveryContext context) {
        if (streams == null) {
            return null;
        }
        SharedStream stream = streams.computeIfAbsent(context.namespace(), nsp -> new SharedStream(
                InMemoryHistoryStore.create(context), new InMemorySessionStore(context.options().clock())));
        // The stores belong to the bus, not to one node: a node that closes must not close them.
        return RecoveryBackend.shared(new SharedHistory(stream.history()), stream.sessions(), adapter::disconnectRemote);
    }

    /** Delivers to every subscriber of the namespace, the sender included (it drops its own). */
    String publish(InProcessClusterAdapter sender, ClusterMessage message) {
        SharedStream stream = streams == null ? null : streams.get(message.nsp());
        if (stream != null && message.data() instanceof ClusterPayload.Broadcast broadcast
                && broadcast.requestId() == null && RecoveryStream.sequenced(broadcast.packet())) {
            return publishPositioned(sender, message, broadcast, stream);
        }
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

    // Positioned and kept in the order it is handed to the delivery thread, as one step: Redis's
    // script-then-PUBLISH order.
    private String publishPositioned(InProcessClusterAdapter sender, ClusterMessage message,
                                     ClusterPayload.Broadcast broadcast, SharedStream stream) {
        if (disconnected.contains(sender)) {
            return null;
        }
        SocketPacket packet = broadcast.packet();
        SocketPacket inNamespace = new SocketPacket(packet.type(), message.nsp(), packet.id(), packet.data());
        EncodedPacket encoded = sender.namespace().encoder().encode(inNamespace);
        OffsetFormat format = stream.history().offsetFormat();
        synchronized (stream) {
            HistoryEntry entry = stream.history().append(broadcast.opts().rooms(), broadcast.opts().except(),
                    !broadcast.opts().flags().isVolatile(), position -> Offsets.append(encoded, format.format(position)));
            String offset = format.format(entry.position());
            deliver(() -> {
                for (InProcessClusterAdapter subscriber : subscribers) {
                    if (subscriber.namespace().name().equals(message.nsp()) && !disconnected.contains(subscriber)) {
                        subscriber.receive(message, offset);
                    }
                }
            });
            return offset;
        }
    }

    /** A shared history as each node sees it: reads go to the bus's store; closing a node leaves it open. */
    private record SharedHistory(InMemoryHistoryStore store) implements HistoryStore {
        @Override
        public StreamPosition head() {
            return store.head();
        }

        @Override
        public CompletableFuture<HistoryRead> read(HistoryQuery query) {
            return store.read(query);
        }
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
