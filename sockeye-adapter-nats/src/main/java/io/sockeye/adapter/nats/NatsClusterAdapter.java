package io.sockeye.adapter.nats;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.sockeye.core.adapter.ClusterAdapter;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterMessageType;
import io.sockeye.core.adapter.ClusterPayload.InitialHeartbeat;
import io.sockeye.core.adapter.NamespaceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The NATS backend of one namespace: moves {@link ClusterMessage}s over the subjects of
 * {@link Subjects}; correlation, timeouts and node tracking are the base class's.
 *
 * <p>How it meets the backend obligations of {@link ClusterAdapter}:
 * <ol>
 *   <li><b>Delivery</b>: NATS core is at-most-once; each subject this node subscribes to is subscribed
 *       once, and a broadcast is published on exactly one subject.</li>
 *   <li><b>Ordering</b>: one connection per node and one dispatcher (one thread) per adapter; NATS keeps
 *       a publisher's messages in order per subscriber connection, across the subjects it serves.</li>
 *   <li><b>Threading</b>: publishing only queues bytes on the connection, after checking that it is up
 *       and its buffer below {@code maxPendingBytes}, so it never waits; messages arrive on the
 *       dispatcher thread.</li>
 *   <li><b>Lifecycle</b>: the subscriptions are sent before anything this node publishes (the
 *       {@code INITIAL_HEARTBEAT} included) on the same connection, so whoever hears this node can
 *       already reach it; no flush round trip is needed.</li>
 * </ol>
 */
final class NatsClusterAdapter extends ClusterAdapter {

    private static final Logger log = LoggerFactory.getLogger(NatsClusterAdapter.class);

    private final NatsAdapterFactory node;
    private final Subjects subjects;
    private final SubscriptionMode mode;
    /** Room → subscribed, for dynamic mode; updated only inside {@code compute} for that room. */
    private final ConcurrentHashMap<String, Boolean> roomSubscriptions = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedUndecodable = new AtomicBoolean();
    private volatile Dispatcher dispatcher;

    NatsClusterAdapter(NamespaceContext namespace, NatsAdapterFactory node, NatsAdapterOptions options) {
        super(namespace, options.cluster());
        this.node = node;
        this.subjects = new Subjects(options.subjectPrefix(), namespace.name());
        this.mode = options.subscriptionMode();
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    protected CompletableFuture<Void> doInit() {
        Connection connection = node.connection();
        try {
            Dispatcher d = connection.createDispatcher(this::receive);
            d.subscribe(subjects.all());
            d.subscribe(subjects.node(uid()));
            dispatcher = d;
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new NatsUnavailableException("cannot subscribe namespace "
                    + namespace.name() + ": NATS connection is " + connection.getStatus(), e));
        }
        node.register(this);
        if (mode == SubscriptionMode.DYNAMIC) {
            rooms().forEach(this::syncRoom); // rooms created before init had nobody to subscribe them
        }
        // While NATS is down the subscriptions are kept by the client and sent on reconnect, and the
        // INITIAL_HEARTBEAT that follows is skipped; onResubscribed() announces this node then.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletableFuture<Void> doClose() {
        node.unregister(this);
        Dispatcher d = dispatcher;
        if (d != null) {
            node.counters().receiveErrors.add(d.getDroppedCount());
            try {
                node.connection().closeDispatcher(d); // unsubscribes everything; does not wait
            } catch (IllegalStateException | IllegalArgumentException alreadyGone) {
                // connection closed (a crash simulation, or the user closed it first): nothing to undo
            }
        }
        roomSubscriptions.clear();
        return CompletableFuture.completedFuture(null);
    }

    /** The connection came back and the client re-sent our subscriptions: say hello again at once. */
    void onResubscribed() {
        if (!isClosed()) {
            publish(new InitialHeartbeat());
        }
    }

    // ---- publishing --------------------------------------------------------------------------

    @Override
    protected CompletableFuture<String> doPublish(ClusterMessage message) {
        try {
            publishNow(subjects.publishSubject(message, mode), message);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        publishNow(subjects.node(requesterUid), response); // the base class logs a failure
    }

    /** Hands the message to the connection, or throws at once; never waits. */
    private void publishNow(String subject, ClusterMessage message) {
        NatsCounters counters = node.counters();
        String unavailable = node.unavailableReason();
        if (unavailable != null) {
            if (isHeartbeatKind(message.type())) {
                // Heartbeats are repeated anyway; failing them would only log once per interval.
                return;
            }
            counters.publishErrors.increment();
            throw new NatsUnavailableException(unavailable + ": " + message.type() + " on namespace "
                    + message.nsp() + " not sent");
        }
        try {
            node.connection().publish(subject, node.codec().encode(message));
        } catch (IllegalStateException e) {
            // Closed, or lost between the check and the publish with the reconnect buffer full.
            counters.publishErrors.increment();
            throw new NatsUnavailableException("NATS rejected " + message.type() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Unserialisable value, or a payload above the server's max_payload.
            counters.publishErrors.increment();
            throw e;
        }
        counters.onPublished(message.type());
    }

    private static boolean isHeartbeatKind(ClusterMessageType type) {
        return type == ClusterMessageType.HEARTBEAT || type == ClusterMessageType.INITIAL_HEARTBEAT
                || type == ClusterMessageType.ADAPTER_CLOSE;
    }

    // ---- receiving ---------------------------------------------------------------------------

    private void receive(Message msg) {
        node.counters().received.increment();
        ClusterMessage message;
        try {
            message = node.codec().decode(msg.getData());
        } catch (RuntimeException e) { // the codec's ClusterCodecException, or a defect: never the dispatcher's
            node.counters().receiveErrors.increment();
            // Once at warn (a misconfigured peer on our subjects), then at debug: no log flood.
            if (warnedUndecodable.compareAndSet(false, true)) {
                log.warn("undecodable message on {} (namespace {}), further ones logged at debug: {}",
                        msg.getSubject(), namespace.name(), e.getMessage());
            } else {
                log.debug("undecodable message on {}: {}", msg.getSubject(), e.getMessage());
            }
            return;
        }
        if (message == null) {
            log.debug("ignored a cluster message of a type this version does not know on {}", msg.getSubject());
            return;
        }
        if (message.type() == ClusterMessageType.BROADCAST && !uid().equals(message.uid())) {
            node.counters().broadcastsReceived.increment();
        }
        onMessage(message);
    }

    // ---- dynamic mode: one subscription per room with local members ---------------------------

    @Override
    protected void onRoomCreated(String room) {
        if (mode == SubscriptionMode.DYNAMIC && !Subjects.isPrivateRoom(room)) {
            syncRoom(room);
        }
    }

    @Override
    protected void onRoomDeleted(String room) {
        if (mode == SubscriptionMode.DYNAMIC && !Subjects.isPrivateRoom(room)) {
            syncRoom(room);
        }
    }

    /**
     * Makes the room's subscription match whether the room exists now. The create/delete hooks of one
     * room may run concurrently and out of order, so they do not say what to do: each reads the current
     * state under the room's lock, and the last one to run sees the final state.
     */
    private void syncRoom(String room) {
        Dispatcher d = dispatcher;
        if (d == null) {
            return; // before init: doInit subscribes the rooms that exist by then
        }
        roomSubscriptions.compute(room, (name, subscribed) -> {
            boolean wanted = !isClosed() && rooms().contains(name);
            try {
                if (wanted && subscribed == null) {
                    d.subscribe(subjects.room(name));
                    return Boolean.TRUE;
                }
                if (!wanted && subscribed != null) {
                    d.unsubscribe(subjects.room(name));
                    return null;
                }
            } catch (IllegalStateException closed) {
                log.debug("room subscription of {} not changed: {}", name, closed.getMessage());
                return null; // a closed connection or dispatcher holds no subscriptions
            }
            return subscribed;
        });
    }

    int roomSubscriptionCount() {
        return roomSubscriptions.size();
    }

    long droppedByClient() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.getDroppedCount();
    }
}
