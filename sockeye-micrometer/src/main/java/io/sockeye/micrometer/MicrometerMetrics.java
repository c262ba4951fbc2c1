package io.sockeye.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.BoundedLabel;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@link SockeyeMetrics} on a Micrometer {@link MeterRegistry}: every metric of the operations guide
 * ({@code docs/operations.md}), with the same meanings and tags, named by Micrometer's conventions
 * (dots, base units: {@code sockeye.engine.received} in bytes is {@code sockeye_engine_received_bytes_total}
 * on a Prometheus registry, timers are in seconds there).
 *
 * <pre>{@code
 * MicrometerMetrics metrics = MicrometerMetrics.builder(registry).eventAllowlist(Set.of("chat")).build();
 * SocketIoServer io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
 * }</pre>
 *
 * <p>Hot path: meters with fixed tags are registered up front (arrays by transport and packet type);
 * meters tagged by a value known only at run time (a namespace, a reason) are created once per bounded
 * value and cached, so a packet neither allocates nor registers anything.
 */
public final class MicrometerMetrics implements SockeyeMetrics, AutoCloseable {

    private static final String[] TRANSPORTS = {"polling", "websocket"};
    private static final EnginePacketType[] ENGINE_TYPES = EnginePacketType.values();
    private static final SocketPacketType[] SOCKET_TYPES = SocketPacketType.values();

    private final MeterRegistry registry;
    private final Tags common;
    private final BoundedLabel namespaces;
    private final BoundedLabel reasons;
    private final BoundedLabel events;
    private final List<ServerGauges> gauges = new CopyOnWriteArrayList<>();
    private final RuntimeMeters runtime;
    private final ClusterMeters cluster;
    private final RecoveryMeters recovery;

    // ---- Engine.IO
    private final AtomicLong[] sessions = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] sessionsPeak = {new AtomicLong(), new AtomicLong()};
    private final Counter[] handshakes = new Counter[2];
    private final Counter[][] enginePacketsReceived = new Counter[2][ENGINE_TYPES.length];
    private final Counter[][] enginePacketsSent = new Counter[2][ENGINE_TYPES.length];
    private final Counter[] engineBytesReceived = new Counter[2];
    private final Counter[] engineBytesSent = new Counter[2];
    private final Counter upgrades;
    private final Counter volatileDropped;
    private final Counter slowConsumerClosed;
    private final TaggedCounters handshakesRejected;
    private final TaggedCounters requestsRejected;
    private final TaggedCounters connectionsRefused;
    private final TaggedCounters engineDisconnects;
    private final TaggedCounters binaryPacketsRefused;

    // ---- Socket.IO
    private final Map<String, AtomicLong[]> sockets = new ConcurrentHashMap<>();
    private final Map<String, TaggedCounters> socketDisconnects = new ConcurrentHashMap<>();
    private final TaggedCounters connectErrors;
    private final Counter[] packetsReceived = new Counter[SOCKET_TYPES.length];
    private final Counter[] packetsSent = new Counter[SOCKET_TYPES.length];
    private final Counter[] bytesReceived = new Counter[SOCKET_TYPES.length];
    private final Counter[] bytesSent = new Counter[SOCKET_TYPES.length];
    private final TaggedCounters eventsReceived;
    private final TaggedCounters broadcasts;
    private final DistributionSummary fanout;
    private final Timer delivery;
    private final Timer ackRoundTrip;
    private final Counter ackTimeouts;

    private MicrometerMetrics(Builder b) {
        this.registry = b.registry;
        this.common = b.tags;
        this.namespaces = BoundedLabel.firstSeen(b.maxNamespaces);
        this.reasons = BoundedLabel.firstSeen(b.maxReasons);
        this.events = b.eventAllowlist != null ? BoundedLabel.allowlist(b.eventAllowlist) : BoundedLabel.firstSeen(b.maxEventNames);

        for (int t = 0; t < 2; t++) {
            Tags transport = common.and("transport", TRANSPORTS[t]);
            AtomicLong open = sessions[t];
            AtomicLong peak = sessionsPeak[t];
            Gauge.builder("sockeye.engine.connections", open, AtomicLong::get).tags(transport)
                    .description("Open Engine.IO sessions (connections), by transport").register(registry);
            Gauge.builder("sockeye.engine.connections.peak", peak, AtomicLong::get).tags(transport)
                    .description("The most Engine.IO sessions open at once since start, by transport").register(registry);
            handshakes[t] = counter("sockeye.handshakes", "Engine.IO handshakes accepted (new sessions)", null, transport);
            engineBytesReceived[t] = counter("sockeye.engine.received", "Bytes received (WebSocket frames, polling POST bodies)", "bytes", transport);
            engineBytesSent[t] = counter("sockeye.engine.sent", "Bytes sent (WebSocket frames, polling responses)", "bytes", transport);
            for (EnginePacketType type : ENGINE_TYPES) {
                Tags tags = transport.and("type", label(type));
                enginePacketsReceived[t][type.ordinal()] = counter("sockeye.engine.packets.received", "Engine.IO packets received", null, tags);
                enginePacketsSent[t][type.ordinal()] = counter("sockeye.engine.packets.sent", "Engine.IO packets sent", null, tags);
            }
        }
        upgrades = counter("sockeye.upgrades", "Sessions upgraded from polling to WebSocket", null, common);
        volatileDropped = counter("sockeye.slow.consumer.dropped.packets",
                "Volatile packets dropped because the connection was over its write high-water mark", null, common);
        slowConsumerClosed = counter("sockeye.slow.consumer.disconnects",
                "Connections closed because their unsent bytes passed maxBufferedBytes", null, common);
        handshakesRejected = tagged("sockeye.handshakes.rejected", "Engine.IO handshakes refused before a session opened", "reason", common);
        requestsRejected = tagged("sockeye.engine.requests.rejected", "Requests for an existing session refused", "reason", common);
        connectionsRefused = tagged("sockeye.connections.refused", "Connections closed before any request was read", "reason", common);
        engineDisconnects = tagged("sockeye.engine.disconnects", "Engine.IO sessions closed, by close reason", "reason", common);
        binaryPacketsRefused = tagged("sockeye.binary.packets.refused", "Binary messages refused while awaiting attachments", "reason", common);
        serverGauge("sockeye.outbound.buffered", "Bytes queued for clients and not yet written", ServerGauges::bufferedBytes);
        serverGauge("sockeye.pending.attachment", "Bytes held for binary messages awaiting attachments", ServerGauges::pendingAttachmentBytes);
        // Servers of one process share the default timer wheel and report the same number: count it once.
        Gauge.builder("sockeye.timer.pending.timeouts", gauges,
                        list -> list.stream().mapToLong(ServerGauges::timerPendingTimeouts).max().orElse(0))
                .description("Timeouts pending on the timer wheel behind heartbeats and deadlines").tags(common)
                .register(registry);

        connectErrors = tagged("sockeye.connect.errors", "CONNECTs answered with CONNECT_ERROR", "reason", common);
        for (SocketPacketType type : SOCKET_TYPES) {
            Tags tags = common.and("type", label(type));
            packetsReceived[type.ordinal()] = counter("sockeye.packets.received", "Socket.IO packets received", null, tags);
            packetsSent[type.ordinal()] = counter("sockeye.packets.sent", "Socket.IO packets sent (each recipient counts)", null, tags);
            bytesReceived[type.ordinal()] = counter("sockeye.packet.received", "Bytes of Socket.IO packets received", "bytes", tags);
            bytesSent[type.ordinal()] = counter("sockeye.packet.sent", "Bytes of Socket.IO packets sent", "bytes", tags);
        }
        eventsReceived = tagged("sockeye.events.received", "Events received from clients (names outside the allowlist: other)", "event", common);
        broadcasts = tagged("sockeye.broadcasts", "Broadcasts started on this node", "namespace", common);
        fanout = DistributionSummary.builder("sockeye.broadcast.fanout").tags(common)
                .description("Local recipients of each broadcast").serviceLevelObjectives(MeterBuckets.FANOUT).register(registry);
        delivery = latency("sockeye.broadcast.delivery", "Time from a broadcast's start to its last local write");
        ackRoundTrip = latency("sockeye.ack.round.trip", "Time from asking a client for an ack to receiving it");
        ackTimeouts = counter("sockeye.ack.timeouts", "Acks asked of clients that did not arrive in time", null, common);

        this.cluster = new ClusterMeters(registry, common, reasons, this::latency);
        this.recovery = new RecoveryMeters(registry, common, namespaces, reasons);
        this.runtime = new RuntimeMeters(registry, common, latency("sockeye.event.loop.delay",
                "How late event loops ran a task scheduled for a known time"), b.eventLoopProbeInterval, b.nettyMemory);
    }

    /** A builder registering on {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** The registry every meter is registered on. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Reports the bus's state and counters ({@code sockeye.cluster.bus.up} and the bus meters) when read. */
    public void watchClusterBus(ClusterBusStatus bus) {
        cluster.watch(bus);
    }

    /**
     * Reports {@code sockeye.cluster.nodes}, the servers the cluster adapter counts (e.g.
     * {@code () -> io.sockets().serverCount()}), asked every two seconds off the collecting thread.
     */
    public void watchClusterNodes(Supplier<CompletableFuture<Integer>> serverCount) {
        cluster.watchNodes(serverCount);
    }

    /** Stops the event-loop probes and the cluster-nodes refresh. The meters stay registered. */
    @Override
    public void close() {
        runtime.close();
        cluster.close();
    }

    // ---- SockeyeMetrics: Engine.IO -----------------------------------------------------------

    @Override
    public void sessionOpened(String transport, EventExecutor loop) {
        int t = index(transport);
        handshakes[t].increment();
        increment(sessions[t], sessionsPeak[t]);
        runtime.watch(loop);
    }

    @Override
    public void requestRejected(String reason, boolean handshake) {
        (handshake ? handshakesRejected : requestsRejected).get(reasons.of(reason)).increment();
    }

    @Override
    public void connectionRefused(String reason) {
        connectionsRefused.get(reasons.of(reason)).increment();
    }

    @Override
    public void sessionUpgraded(String from, String to) {
        upgrades.increment();
        sessions[index(from)].decrementAndGet();
        increment(sessions[index(to)], sessionsPeak[index(to)]);
    }

    @Override
    public void sessionClosed(String transport, String reason) {
        sessions[index(transport)].decrementAndGet();
        engineDisconnects.get(reasons.of(reason)).increment();
    }

    @Override
    public void enginePacketReceived(String transport, EnginePacketType type) {
        enginePacketsReceived[index(transport)][type.ordinal()].increment();
    }

    @Override
    public void enginePacketSent(String transport, EnginePacketType type) {
        enginePacketsSent[index(transport)][type.ordinal()].increment();
    }

    @Override
    public void engineBytesReceived(String transport, long bytes) {
        engineBytesReceived[index(transport)].increment(bytes);
    }

    @Override
    public void engineBytesSent(String transport, long bytes) {
        engineBytesSent[index(transport)].increment(bytes);
    }

    @Override
    public void volatileDropped() {
        volatileDropped.increment();
    }

    @Override
    public void slowConsumerClosed() {
        slowConsumerClosed.increment();
    }

    @Override
    public void binaryPacketRefused(String reason) {
        binaryPacketsRefused.get(reasons.of(reason)).increment();
    }

    // ---- SockeyeMetrics: Socket.IO -----------------------------------------------------------

    @Override
    public void socketConnected(String namespace) {
        AtomicLong[] open = sockets.get(namespace);
        if (open == null) {
            open = sockets.computeIfAbsent(namespaces.of(namespace), this::registerNamespace);
        }
        increment(open[0], open[1]);
    }

    @Override
    public void socketDisconnected(String namespace, String reason) {
        String nsp = sockets.containsKey(namespace) ? namespace : namespaces.of(namespace);
        AtomicLong[] open = sockets.get(nsp);
        if (open != null) {
            open[0].decrementAndGet();
        }
        TaggedCounters byReason = socketDisconnects.get(nsp);
        if (byReason == null) {
            byReason = socketDisconnects.computeIfAbsent(nsp, n -> tagged("sockeye.disconnects",
                    "Sockets that left a namespace", "reason", common.and("namespace", n)));
        }
        byReason.get(reasons.of(reason)).increment();
    }

    @Override
    public void connectRejected(String reason) {
        connectErrors.get(reasons.of(reason)).increment();
    }

    @Override
    public void packetReceived(SocketPacketType type, long bytes) {
        packetsReceived[type.ordinal()].increment();
        bytesReceived[type.ordinal()].increment(bytes);
    }

    @Override
    public void packetSent(SocketPacketType type, long bytes) {
        packetsSent[type.ordinal()].increment();
        bytesSent[type.ordinal()].increment(bytes);
    }

    @Override
    public void eventReceived(String namespace, String event) {
        eventsReceived.get(events.of(event)).increment();
    }

    @Override
    public void broadcastStarted(String namespace) {
        broadcasts.get(namespaces.of(namespace)).increment();
    }

    @Override
    public void broadcastDelivered(int recipients, long elapsedNanos) {
        fanout.record(recipients);
        delivery.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void ackReceived(long elapsedNanos) {
        ackRoundTrip.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void ackTimedOut() {
        ackTimeouts.increment();
    }

    // ---- SockeyeMetrics: cluster -------------------------------------------------------------

    @Override
    public void clusterPublished(String type) {
        cluster.published(type);
    }

    @Override
    public void clusterPublishFailed(String type) {
        cluster.publishFailed(type);
    }

    @Override
    public void clusterReceived(String type) {
        cluster.received(type);
    }

    @Override
    public void clusterRequestTimedOut(String request) {
        cluster.requestTimedOut(request);
    }

    @Override
    public void clusterBusLatency(long elapsedNanos) {
        cluster.busLatency(elapsedNanos);
    }

    @Override
    public void clusterBusStatus(boolean up, String detail) {
        cluster.busStatus(up);
    }

    // ---- SockeyeMetrics: connection state recovery and history -------------------------------

    @Override
    public void recoveryAttempted(String namespace) {
        recovery.attempted(namespace);
    }

    @Override
    public void recoverySucceeded(String namespace, int replayed) {
        recovery.succeeded(namespace, replayed);
    }

    @Override
    public void recoveryFailed(String namespace, String reason) {
        recovery.failed(namespace, reason);
    }

    @Override
    public void recoveryTookOver(String namespace) {
        recovery.tookOver(namespace);
    }

    @Override
    public void historyAppended(String namespace, long bytes) {
        recovery.appended(namespace, bytes);
    }

    @Override
    public void historyEvicted(String namespace, long bytes, String reason) {
        recovery.evicted(namespace, bytes, reason);
    }

    // ---- SockeyeMetrics: gauges --------------------------------------------------------------

    @Override
    public void addGauges(ServerGauges g) {
        gauges.add(g);
    }

    @Override
    public void removeGauges(ServerGauges g) {
        gauges.remove(g);
    }

    // ---- building ------------------------------------------------------------------------------

    private AtomicLong[] registerNamespace(String nsp) {
        AtomicLong[] open = {new AtomicLong(), new AtomicLong()};
        Tags tags = common.and("namespace", nsp);
        Gauge.builder("sockeye.connections", open[0], AtomicLong::get).tags(tags)
                .description("Connected sockets, by namespace").register(registry);
        Gauge.builder("sockeye.connections.peak", open[1], AtomicLong::get).tags(tags)
                .description("The most sockets connected at once since start, by namespace").register(registry);
        Gauge.builder("sockeye.rooms", this, m -> m.rooms(nsp)).tags(tags)
                .description("Rooms with at least one member on this node (not each socket's own room)").register(registry);
        return open;
    }

    private double rooms(String namespace) {
        long total = 0;
        for (ServerGauges g : gauges) {
            for (Map.Entry<String, Long> e : g.rooms().entrySet()) {
                if (namespaces.of(e.getKey()).equals(namespace)) {
                    total += e.getValue();
                }
            }
        }
        return total;
    }

    private static void increment(AtomicLong open, AtomicLong peak) {
        long now = open.incrementAndGet();
        if (now > peak.get()) {
            peak.accumulateAndGet(now, Math::max);
        }
    }

    private static int index(String transport) {
        return "websocket".equals(transport) ? 1 : 0;
    }

    private static String label(Enum<?> type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private Counter counter(String name, String description, String unit, Tags tags) {
        return Counter.builder(name).description(description).baseUnit(unit).tags(tags).register(registry);
    }

    private TaggedCounters tagged(String name, String description, String tag, Tags tags) {
        return new TaggedCounters(value -> counter(name, description, null, tags.and(tag, value)));
    }

    Timer latency(String name, String description) {
        return Timer.builder(name).description(description).tags(common)
                .serviceLevelObjectives(MeterBuckets.LATENCY).register(registry);
    }

    private void serverGauge(String name, String description, ToLongFunction<ServerGauges> value) {
        Gauge.builder(name, gauges, list -> {
            long total = 0;
            for (ServerGauges g : list) {
                total += value.applyAsLong(g);
            }
            return total;
        }).description(description).baseUnit("bytes").tags(common).register(registry);
    }

    /** Options, with the defaults the Prometheus implementation has. */
    public static final class Builder {
        private final MeterRegistry registry;
        private Tags tags = Tags.empty();
        private Set<String> eventAllowlist;
        private int maxEventNames = 64;
        private int maxNamespaces = 64;
        private int maxReasons = 128;
        private Duration eventLoopProbeInterval = Duration.ofMillis(100);
        private boolean nettyMemory = true;

        private Builder(MeterRegistry registry) {
            this.registry = java.util.Objects.requireNonNull(registry, "registry");
        }

        /** Tags added to every meter (e.g. {@code application}); default none. */
        public Builder tags(Tags tags) { this.tags = Tags.of(tags); return this; }
        /** Event names tagged as themselves; every other name is {@code other}. Default: the first 64 seen. */
        public Builder eventAllowlist(Set<String> names) { this.eventAllowlist = Set.copyOf(names); return this; }
        /** Distinct namespaces tagged before the rest count as {@code other}; default 64. */
        public Builder maxNamespaces(int max) { this.maxNamespaces = max; return this; }
        /** Distinct reasons and message types tagged; default 128. */
        public Builder maxReasons(int max) { this.maxReasons = max; return this; }
        /** How often each event loop is probed for {@code sockeye.event.loop.delay}; default 100 ms. */
        public Builder eventLoopProbeInterval(Duration interval) { this.eventLoopProbeInterval = interval; return this; }
        /** Whether to register the Netty allocator and direct memory gauges; default true. */
        public Builder nettyMemory(boolean enabled) { this.nettyMemory = enabled; return this; }

        public MicrometerMetrics build() {
            return new MicrometerMetrics(this);
        }
    }
}
