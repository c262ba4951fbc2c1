package io.sockeye.core.adapter;

import io.sockeye.core.adapter.ClusterPayload.AdapterClose;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.Heartbeat;
import io.sockeye.core.adapter.ClusterPayload.InitialHeartbeat;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.protocol.socket.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Base of every multi-node adapter (socket.io-adapter's {@code ClusterAdapterWithHeartbeat}). It owns
 * everything but the bus: node id, request/response correlation, timeouts, node tracking by heartbeat,
 * broadcast-with-ack counting across nodes, and the local side of every remote operation. A backend
 * only moves {@link ClusterMessage}s: it implements {@link #doInit}, {@link #doClose},
 * {@link #doPublish} and {@link #doPublishResponse}, and hands what it receives to {@link #onMessage}.
 *
 * <p>Obligations of a backend:
 * <ol>
 *   <li><b>Delivery.</b> A published message reaches each other subscribed adapter of the namespace at
 *       most once (a broadcast delivered twice reaches its sockets twice). Loss is tolerated: requests
 *       time out, heartbeats repeat. Duplicate <em>responses</em> are harmless (ignored here).</li>
 *   <li><b>Ordering.</b> Messages from one publisher reach each receiver in publish order (a
 *       broadcast's client count before its acks; broadcasts in the order they were sent).</li>
 *   <li><b>Threading.</b> {@code doPublish}, {@code doPublishResponse}, {@code doInit} and
 *       {@code doClose} must not block: they start the I/O and return. {@code onMessage} may be called
 *       from any thread (e.g. the client library's I/O thread); it never blocks either.</li>
 *   <li><b>Own messages.</b> The backend may deliver this adapter's own messages back to it, and
 *       messages of other namespaces; both are dropped here.</li>
 *   <li><b>Responses.</b> {@code doPublishResponse(uid, m)} should reach only node {@code uid}; delivering
 *       it to others is harmless (they do not know the request id).</li>
 *   <li><b>Lifecycle.</b> {@code doInit} completes once messages flow both ways; {@code doClose} is
 *       called once, after the {@code ADAPTER_CLOSE} message was published.</li>
 *   <li><b>Offsets.</b> A backend with a shared recovery stream ({@link RecoveryBackend#shared}) positions
 *       each broadcast as it publishes it and passes its offset to {@link #onMessage(ClusterMessage, String)}
 *       on every node, <em>its own messages included</em> (all nodes deliver one stream in one order);
 *       other backends pass {@code null} and recover node-locally.</li>
 * </ol>
 *
 * <p>Timeout policy: fetchSockets and serverSideEmitWithAck wait for one response from each node known
 * alive when the request was sent (a node that leaves meanwhile is no longer waited for); after
 * {@code flags.timeout} (else {@code requestsTimeout}) they fail with {@link AdapterTimeoutException}
 * carrying the results that did arrive (this node's sockets included).
 */
public abstract class ClusterAdapter extends InMemoryAdapter {

    /** The uid of messages from emitters (socket.io's {@code EMITTER_UID}): processed, never answered or counted. */
    public static final String EMITTER_UID = "emitter";

    private static final Logger log = LoggerFactory.getLogger(ClusterAdapter.class);
    private static final CompletableFuture<String> NO_OFFSET = CompletableFuture.completedFuture(null);

    private final String uid;
    private final ClusterAdapterOptions options;
    private final NodeRegistry nodes;
    private final ClusterRequests requests;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean publishFailing = new AtomicBoolean();
    private final SockeyeMetrics metrics;
    private final TakeOvers takeOvers = new TakeOvers(sids -> publish(new DisconnectSockets(BroadcastOptions.to(sids), true)));

    protected ClusterAdapter(NamespaceContext namespace, ClusterAdapterOptions options) {
        super(namespace);
        this.options = options;
        this.uid = ClusterSupport.randomId();
        this.metrics = namespace.metrics();
        this.requests = new ClusterRequests(options.scheduler(), metrics);
        this.nodes = new NodeRegistry(options, this::publishHeartbeat, requests::onNodeGone);
    }

    /** This adapter's node id on the bus: 16 hex characters, fresh per adapter instance. */
    public final String uid() {
        return uid;
    }

    public final ClusterAdapterOptions options() {
        return options;
    }

    // ---- backend hooks -----------------------------------------------------------------------

    /** Subscribes to the bus; completes once messages flow. */
    protected abstract CompletableFuture<Void> doInit();

    /** Unsubscribes and releases the backend's resources. */
    protected abstract CompletableFuture<Void> doClose();

    /**
     * Publishes to every adapter of this namespace. Completes when the bus accepted the message, with
     * its offset on a durable bus, else {@code null}.
     */
    protected abstract CompletableFuture<String> doPublish(ClusterMessage message);

    /** Sends a response to the adapter {@code requesterUid} only. */
    protected abstract void doPublishResponse(String requesterUid, ClusterMessage response);

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> init() {
        return doInit().thenRun(() -> {
            if (options.heartbeatsEnabled()) {
                publish(new InitialHeartbeat());
                nodes.start();
            }
        });
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        nodes.stop();
        requests.closeAll(new IllegalStateException("adapter closed"));
        CompletableFuture<String> announced = options.heartbeatsEnabled()
                ? publish(new AdapterClose()).exceptionally(e -> null) : NO_OFFSET;
        return announced.thenCompose(offset -> doClose()).whenComplete((v, e) -> closeRecovery());
    }

    protected final boolean isClosed() {
        return closed.get();
    }

    // ---- broadcasting ------------------------------------------------------------------------

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        if (opts.flags().local()) {
            super.broadcast(packet, opts);
            return;
        }
        RecoveryStream stream = recoveryStream();
        if (stream != null && RecoveryStream.sequenced(packet)) {
            if (stream.backend().isShared()) {
                // Delivered here from the bus, as on every node; a failed publish is lost everywhere.
                publish(new Broadcast(packet, opts, null));
                return;
            }
            if (opts.rooms().size() == 1 && opts.except().isEmpty()
                    && namespace.socket(opts.rooms().iterator().next()) != null) {
                // A private emit: with node-local history only this node can replay it anyway.
                super.broadcast(packet, opts);
                return;
            }
        }
        publish(new Broadcast(packet, opts, null));
        super.broadcast(packet, opts);
    }

    /**
     * With a {@link RecoveryBackend#shared} stream the bus positions the broadcast as it takes it, so the
     * offset is known once {@link #doPublish} answered: the future completes then (and fails when the
     * publish failed, in which case no node delivered it). Otherwise as {@link Adapter#broadcastWithOffset}.
     */
    @Override
    public CompletableFuture<String> broadcastWithOffset(SocketPacket packet, BroadcastOptions opts) {
        RecoveryStream stream = recoveryStream();
        if (!opts.flags().local() && stream != null && RecoveryStream.sequenced(packet) && stream.backend().isShared()) {
            return publish(new Broadcast(packet, opts, null));
        }
        return super.broadcastWithOffset(packet, opts);
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<List<Object>> ack) {
        Duration timeout = requireTimeout(opts);
        if (!opts.flags().local()) {
            publish(new Broadcast(packet, opts, requests.trackAcks(clientCount, ack, timeout)));
        }
        super.broadcastWithAck(packet, opts, clientCount, ack);
    }

    // ---- socket operations -------------------------------------------------------------------

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> local = fetchLocalSockets(opts);
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(local);
        }
        Duration timeout = opts.flags().timeout() != null ? opts.flags().timeout() : options.requestsTimeout();
        return request(requestId -> new FetchSockets(requestId, opts), local, timeout)
                .thenApply(ClusterAdapter::castDetails);
    }

    @SuppressWarnings("unchecked")
    private static List<SocketDetails> castDetails(List<Object> results) {
        return (List<SocketDetails>) (List<?>) results;
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            publish(new SocketsJoin(opts, rooms));
        }
        super.addSockets(opts, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> rooms) {
        if (!opts.flags().local()) {
            publish(new SocketsLeave(opts, rooms));
        }
        super.delSockets(opts, rooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        if (!opts.flags().local()) {
            publish(new DisconnectSockets(opts, close));
        }
        super.disconnectSockets(opts, close);
    }

    /**
     * Disconnects and closes the socket {@code sid} on the <em>other</em> nodes: the {@code takeOver} of a
     * {@link RecoveryBackend#shared} backend, for a half-open ghost whose session was restored here. Those
     * of restores that come while one is being published go together in the next message ({@link TakeOvers}).
     */
    protected final void disconnectRemote(String sid) {
        takeOvers.add(sid);
    }

    // ---- server-to-server --------------------------------------------------------------------

    @Override
    public void serverSideEmit(List<Object> packet) {
        publish(new ServerSideEmit(null, List.copyOf(packet)));
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmitWithAck(List<Object> packet, Duration timeout) {
        List<Object> copy = Collections.unmodifiableList(new ArrayList<>(packet));
        return request(requestId -> new ServerSideEmit(requestId, copy), List.of(),
                timeout != null ? timeout : options.requestsTimeout());
    }

    /**
     * With heartbeats: this node plus the nodes heard from within the heartbeat timeout. A backend
     * that disables heartbeats must override this with its bus's subscriber count.
     */
    @Override
    public CompletableFuture<Integer> serverCount() {
        if (!options.heartbeatsEnabled()) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException(
                    getClass().getName() + " disables heartbeats but does not count servers"));
        }
        return CompletableFuture.completedFuture(nodes.size() + 1);
    }

    // ---- requests ----------------------------------------------------------------------------

    private CompletableFuture<List<Object>> request(Function<String, ClusterPayload> payload,
                                                    List<?> initialResults, Duration timeout) {
        return requests.request(payload, initialResults, timeout, () -> options.heartbeatsEnabled()
                        ? CompletableFuture.completedFuture(new ClusterRequests.Awaited(nodes.uids(), 0))
                        : serverCount().thenApply(count -> new ClusterRequests.Awaited(null, count - 1)),
                this::publish);
    }

    // ---- receiving ---------------------------------------------------------------------------

    /** Hands a message received from the bus to the adapter (no offset). */
    protected final void onMessage(ClusterMessage message) {
        onMessage(message, null);
    }

    /**
     * Hands a message received from the bus to the adapter. {@code offset} is the message's position
     * on a durable bus (for connection state recovery), else {@code null}. Never throws.
     */
    protected final void onMessage(ClusterMessage message, String offset) {
        String sender = message.uid();
        if (!namespace.name().equals(message.nsp()) || closed.get()) {
            return;
        }
        if (uid.equals(sender)) {
            // Our own message: only a broadcast of a shared recovery stream is delivered from the bus.
            RecoveryStream stream = recoveryStream();
            if (offset != null && message.type() == ClusterMessageType.BROADCAST
                    && stream != null && stream.backend().isShared()) {
                onBroadcast((Broadcast) message.data(), sender, offset);
            }
            return;
        }
        metrics.clusterReceived(message.type().name());
        try {
            // An emitter (uid "emitter", as socket.io's emitters write it) is not a node: counting it would make
            // every cluster request wait for an answer it never sends.
            if (sender != null && !EMITTER_UID.equals(sender) && options.heartbeatsEnabled()) {
                nodes.seen(sender);
            }
            dispatch(message.data(), sender, offset);
        } catch (RuntimeException e) {
            log.warn("cluster message {} from {} failed on namespace {}", message.type(), sender, namespace.name(), e);
        }
    }

    // Java 17: no pattern switch, so switch on the type number and cast.
    private void dispatch(ClusterPayload payload, String sender, String offset) {
        switch (payload.type()) {
            case INITIAL_HEARTBEAT -> {
                // A node just started: tell it at once that we exist, rather than at our next beat.
                if (options.heartbeatsEnabled()) {
                    publish(new Heartbeat());
                }
            }
            case HEARTBEAT -> {
                // seen() in onMessage did the work
            }
            case ADAPTER_CLOSE -> nodes.remove(sender);
            case BROADCAST -> onBroadcast((Broadcast) payload, sender, offset);
            case SOCKETS_JOIN -> {
                SocketsJoin join = (SocketsJoin) payload;
                super.addSockets(join.opts(), join.rooms());
            }
            case SOCKETS_LEAVE -> {
                SocketsLeave leave = (SocketsLeave) payload;
                super.delSockets(leave.opts(), leave.rooms());
            }
            case DISCONNECT_SOCKETS -> {
                DisconnectSockets disconnect = (DisconnectSockets) payload;
                super.disconnectSockets(disconnect.opts(), disconnect.close());
            }
            case FETCH_SOCKETS -> {
                FetchSockets fetch = (FetchSockets) payload;
                if (sender != null) {
                    publishResponse(sender, new FetchSocketsResponse(fetch.requestId(), fetchLocalSockets(fetch.opts())));
                }
            }
            case FETCH_SOCKETS_RESPONSE -> {
                FetchSocketsResponse response = (FetchSocketsResponse) payload;
                requests.onResponse(response.requestId(), sender, response.sockets());
            }
            case SERVER_SIDE_EMIT -> {
                ServerSideEmit emit = (ServerSideEmit) payload;
                String requestId = emit.requestId();
                namespace.onServerSideEmit(emit.packet(), requestId == null || sender == null ? null
                        : ClusterSupport.once(reply -> publishResponse(sender, new ServerSideEmitResponse(requestId, reply))));
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                ServerSideEmitResponse response = (ServerSideEmitResponse) payload;
                requests.onResponse(response.requestId(), sender, Collections.singletonList(response.packet()));
            }
            case BROADCAST_CLIENT_COUNT -> {
                BroadcastClientCount count = (BroadcastClientCount) payload;
                requests.onClientCount(count.requestId(), count.clientCount());
            }
            case BROADCAST_ACK -> {
                BroadcastAck ack = (BroadcastAck) payload;
                requests.onAck(ack.requestId(), ack.packet());
            }
        }
    }

    private void onBroadcast(Broadcast broadcast, String sender, String offset) {
        SocketPacket packet = broadcast.packet();
        BroadcastOptions opts = broadcast.opts();
        if (broadcast.requestId() == null) {
            RecoveryStream stream = recoveryStream();
            if (stream != null && stream.backend().isShared() && RecoveryStream.sequenced(packet) && offset != null) {
                deliverPositioned(stream, packet, opts, offset);
            } else {
                // Without a position (an emitter's or a Node.js server's broadcast, published straight to the bus,
                // outside the shared stream): delivered live on every node, not kept for recovery.
                super.broadcast(packet, opts);
            }
            return;
        }
        if (sender == null) {
            return; // nobody to send counts and acks to
        }
        String requestId = broadcast.requestId();
        // The sender's timeout travels in the flags; an emitter may omit it.
        BroadcastOptions withTimeout = opts.flags().timeout() != null ? opts
                : opts.withFlags(opts.flags().withTimeout(options.requestsTimeout()));
        super.broadcastWithAck(packet, withTimeout,
                count -> publishResponse(sender, new BroadcastClientCount(requestId, count)),
                // socket.io's BROADCAST_ACK carries one value: the client's first ack argument.
                args -> publishResponse(sender, new BroadcastAck(requestId, args.isEmpty() ? null : args.get(0))));
    }

    private void deliverPositioned(RecoveryStream stream, SocketPacket packet, BroadcastOptions opts, String offset) {
        SocketPacket sent = inThisNamespace(packet, packet.id());
        if (!stream.deliver(sent, namespace.encoder().encode(sent), offset, opts, this::localRecipients)) {
            log.warn("broadcast on namespace {} came from the bus without a valid offset ({}); dropped",
                    namespace.name(), offset);
        }
    }

    // ---- sending -----------------------------------------------------------------------------

    /** Publishes a payload of this node and namespace; failures are logged, and reported in the future. */
    protected final CompletableFuture<String> publish(ClusterPayload payload) {
        ClusterMessage message = new ClusterMessage(uid, namespace.name(), payload);
        long started = metrics.enabled() ? System.nanoTime() : 0;
        CompletableFuture<String> result;
        try {
            result = doPublish(message);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((offset, error) -> {
            if (error == null) {
                metrics.clusterPublished(payload.type().name());
                if (started != 0) {
                    metrics.clusterBusLatency(System.nanoTime() - started);
                }
            } else {
                metrics.clusterPublishFailed(payload.type().name());
            }
            if (error == null) {
                if (publishFailing.compareAndSet(true, false)) {
                    log.info("publishing on namespace {} works again", namespace.name());
                }
            } else if (publishFailing.compareAndSet(false, true)) {
                // One warning per outage, not one per message: an outage at a few hundred broadcasts
                // per second would otherwise flood the log. Later failures go to debug.
                log.warn("publishing {} on namespace {} failed (further failures logged at debug until it recovers)",
                        payload.type(), namespace.name(), error);
            } else {
                log.debug("publishing {} on namespace {} failed", payload.type(), namespace.name(), error);
            }
        });
    }

    private void publishResponse(String requesterUid, ClusterPayload payload) {
        try {
            doPublishResponse(requesterUid, new ClusterMessage(uid, namespace.name(), payload));
            metrics.clusterPublished(payload.type().name());
        } catch (RuntimeException e) {
            metrics.clusterPublishFailed(payload.type().name());
            log.warn("responding {} to {} on namespace {} failed", payload.type(), requesterUid, namespace.name(), e);
        }
    }

    private void publishHeartbeat() {
        if (!closed.get()) {
            publish(new Heartbeat());
        }
    }
}
