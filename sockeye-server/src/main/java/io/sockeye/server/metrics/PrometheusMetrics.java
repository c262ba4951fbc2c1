package io.sockeye.server.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.BoundedLabel;
import io.sockeye.core.metrics.EventLoopProbes;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;
import io.sockeye.server.limits.Stats;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * {@link SockeyeMetrics} on the Prometheus Java client: every hook feeds a metric of a
 * {@link PrometheusRegistry}, which {@link MetricsEndpoint} exposes as {@code GET /metrics}. Every
 * metric, its labels and meaning are listed in {@code docs/operations.md}.
 *
 * <pre>{@code
 * PrometheusMetrics metrics = PrometheusMetrics.builder().eventAllowlist(Set.of("chat", "move")).build();
 * SocketIoServer io = SocketIoServer.create(ServerOptions.builder().metrics(metrics).build());
 * }</pre>
 *
 * <p>Hot path: the per-packet hooks increment data points resolved once at start (arrays indexed by
 * transport and packet type), so they neither allocate nor look anything up; label values that come
 * from the network or user code are bounded by {@link BoundedLabel}. {@link #sample()} reads the
 * current values cheaply for a live dashboard.
 */
public final class PrometheusMetrics implements SockeyeMetrics, AutoCloseable {

    /** Buckets for latencies, in seconds: 100 µs to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Buckets for a broadcast's local recipients. */
    static final double[] FANOUT_BUCKETS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            25_000, 50_000, 100_000};

    private static final String[] TRANSPORTS = {"polling", "websocket", "sse"};
    private static final EnginePacketType[] ENGINE_TYPES = EnginePacketType.values();
    private static final SocketPacketType[] SOCKET_TYPES = SocketPacketType.values();

    private final PrometheusRegistry registry;
    private final BoundedLabel namespaces;
    private final BoundedLabel reasons;
    private final RecoveryMetrics recovery;
    private final BoundedLabel events;
    private final Readiness readiness;
    private final EventLoopProbes eventLoops;
    private final List<ServerGauges> gauges = new CopyOnWriteArrayList<>();
    private final AtomicBoolean statsExported = new AtomicBoolean();
    private volatile Stats stats;

    // ---- Engine.IO
    private final ConnectionGauge[] sessions = {new ConnectionGauge(), new ConnectionGauge(), new ConnectionGauge()};
    private final CounterDataPoint[] handshakes = new CounterDataPoint[TRANSPORTS.length];
    private final Counter handshakesRejected;
    private final Counter requestsRejected;
    private final Counter connectionsRefused;
    private final Counter upgrades;
    private final Counter engineDisconnects;
    private final CounterDataPoint[][] enginePacketsReceived = new CounterDataPoint[TRANSPORTS.length][ENGINE_TYPES.length];
    private final CounterDataPoint[][] enginePacketsSent = new CounterDataPoint[TRANSPORTS.length][ENGINE_TYPES.length];
    private final CounterDataPoint[] engineBytesReceived = new CounterDataPoint[TRANSPORTS.length];
    private final CounterDataPoint[] engineBytesSent = new CounterDataPoint[TRANSPORTS.length];
    private final Counter volatileDropped;
    private final Counter slowConsumerClosed;
    private final Counter binaryPacketsRefused;

    // ---- Socket.IO
    private final Map<String, ConnectionGauge> sockets = new ConcurrentHashMap<>();
    private final Counter socketDisconnects;
    private final Counter connectErrors;
    private final CounterDataPoint[] packetsReceived = new CounterDataPoint[SOCKET_TYPES.length];
    private final CounterDataPoint[] packetsSent = new CounterDataPoint[SOCKET_TYPES.length];
    private final CounterDataPoint[] bytesReceived = new CounterDataPoint[SOCKET_TYPES.length];
    private final CounterDataPoint[] bytesSent = new CounterDataPoint[SOCKET_TYPES.length];
    private final Counter eventsReceived;
    private final Map<String, CounterDataPoint> eventPoints = new ConcurrentHashMap<>();
    private final CounterDataPoint otherEvents;
    private final Counter broadcasts;
    private final Map<String, CounterDataPoint> broadcastPoints = new ConcurrentHashMap<>();
    private final Histogram fanout;
    private final Histogram delivery;
    private final Histogram ackRoundTrip;
    private final Counter ackTimeouts;

    // ---- cluster
    private final ClusterMetricFamilies cluster;

    PrometheusMetrics(PrometheusMetricsBuilder b) {
        this.registry = b.registry;
        this.namespaces = BoundedLabel.firstSeen(b.maxNamespaces);
        this.reasons = BoundedLabel.firstSeen(b.maxReasons);
        this.events = b.eventAllowlist != null ? BoundedLabel.allowlist(b.eventAllowlist)
                : BoundedLabel.firstSeen(b.maxEventNames);
        this.readiness = b.readiness;

        // Engine.IO sessions
        ConnectionGauge.register(registry, "sockeye_engine_connections", "Open Engine.IO sessions (connections), by transport",
                "transport", () -> Map.of(TRANSPORTS[0], sessions[0], TRANSPORTS[1], sessions[1], TRANSPORTS[2], sessions[2]));
        Counter hs = counter("sockeye_handshakes", "Engine.IO handshakes accepted (new sessions), by transport", "transport");
        Counter ebr = counter("sockeye_engine_received_bytes", "Bytes received (WebSocket frames, polling POST bodies), by transport", "transport");
        Counter ebs = counter("sockeye_engine_sent_bytes", "Bytes sent (WebSocket frames, polling responses), by transport", "transport");
        Counter epr = counter("sockeye_engine_packets_received", "Engine.IO packets received, by transport and type", "transport", "type");
        Counter eps = counter("sockeye_engine_packets_sent", "Engine.IO packets sent, by transport and type", "transport", "type");
        for (int t = 0; t < TRANSPORTS.length; t++) {
            handshakes[t] = hs.labelValues(TRANSPORTS[t]);
            engineBytesReceived[t] = ebr.labelValues(TRANSPORTS[t]);
            engineBytesSent[t] = ebs.labelValues(TRANSPORTS[t]);
            for (EnginePacketType type : ENGINE_TYPES) {
                enginePacketsReceived[t][type.ordinal()] = epr.labelValues(TRANSPORTS[t], label(type));
                enginePacketsSent[t][type.ordinal()] = eps.labelValues(TRANSPORTS[t], label(type));
            }
        }
        handshakesRejected = counter("sockeye_handshakes_rejected",
                "Engine.IO handshakes refused before a session opened, by reason", "reason");
        requestsRejected = counter("sockeye_engine_requests_rejected",
                "Requests for an existing session refused (e.g. unknown_sid after a restart), by reason", "reason");
        connectionsRefused = counter("sockeye_connections_refused",
                "Connections closed before any request (PROXY protocol header missing, untrusted, invalid), by reason", "reason");
        upgrades = counter("sockeye_upgrades", "Sessions upgraded from polling to WebSocket");
        engineDisconnects = counter("sockeye_engine_disconnects", "Engine.IO sessions closed, by close reason", "reason");
        volatileDropped = counter("sockeye_slow_consumer_dropped_packets",
                "Volatile packets dropped because the connection was over its write high-water mark");
        slowConsumerClosed = counter("sockeye_slow_consumer_disconnects",
                "Connections closed because their unsent bytes passed maxBufferedBytes");
        serverGauge("sockeye_outbound_buffered_bytes",
                "Bytes queued for clients and not yet written to the network, over all connections", ServerGauges::bufferedBytes);
        binaryPacketsRefused = counter("sockeye_binary_packets_refused", "Binary messages refused while awaiting attachments, by reason", "reason");
        serverGauge("sockeye_pending_attachment_bytes", "Bytes held for binary messages awaiting attachments", ServerGauges::pendingAttachmentBytes);

        // Socket.IO
        ConnectionGauge.register(registry, "sockeye_connections", "Connected sockets, by namespace", "namespace", () -> sockets);
        socketDisconnects = counter("sockeye_disconnects", "Sockets that left a namespace, by namespace and socket.io reason",
                "namespace", "reason");
        connectErrors = counter("sockeye_connect_errors",
                "CONNECTs answered with CONNECT_ERROR: invalid_namespace or middleware (e.g. authentication)", "reason");
        Counter pr = counter("sockeye_packets_received", "Socket.IO packets received, by type", "type");
        Counter ps = counter("sockeye_packets_sent", "Socket.IO packets sent (each recipient of a broadcast counts), by type", "type");
        Counter br = counter("sockeye_packet_received_bytes", "Bytes of Socket.IO packets received (text and attachments), by type", "type");
        Counter bs = counter("sockeye_packet_sent_bytes", "Bytes of Socket.IO packets sent (text and attachments), by type", "type");
        for (SocketPacketType type : SOCKET_TYPES) {
            packetsReceived[type.ordinal()] = pr.labelValues(label(type));
            packetsSent[type.ordinal()] = ps.labelValues(label(type));
            bytesReceived[type.ordinal()] = br.labelValues(label(type));
            bytesSent[type.ordinal()] = bs.labelValues(label(type));
        }
        eventsReceived = counter("sockeye_events_received",
                "Events received from clients, by name (names outside the allowlist count as \"other\")", "event");
        otherEvents = eventsReceived.labelValues(BoundedLabel.OTHER);
        broadcasts = counter("sockeye_broadcasts", "Broadcasts started on this node, by namespace", "namespace");
        fanout = histogram("sockeye_broadcast_fanout", "Local recipients of each broadcast", FANOUT_BUCKETS);
        delivery = histogram("sockeye_broadcast_delivery_seconds",
                "Time from a broadcast's start to its last local write", LATENCY_BUCKETS);
        ackRoundTrip = histogram("sockeye_ack_round_trip_seconds",
                "Time from asking a client for an ack to receiving it", LATENCY_BUCKETS);
        ackTimeouts = counter("sockeye_ack_timeouts", "Acks asked of clients that did not arrive in time");
        GaugeWithCallback.builder().name("sockeye_rooms")
                .help("Rooms with at least one member on this node (not counting each socket's own room), by namespace")
                .labelNames("namespace")
                .callback(cb -> {
                    Map<String, Long> total = new HashMap<>();
                    for (ServerGauges g : gauges) {
                        g.rooms().forEach((nsp, n) -> total.merge(namespaces.of(nsp), n, Long::sum));
                    }
                    total.forEach((nsp, n) -> cb.call(n, nsp));
                }).register(registry);

        this.cluster = new ClusterMetricFamilies(this::counter, (name, help) -> histogram(name, help, LATENCY_BUCKETS),
                registry, reasons, readiness);

        // runtime
        Histogram loopDelay = histogram("sockeye_event_loop_delay_seconds",
                "How late event loops ran a task scheduled for a known time", LATENCY_BUCKETS);
        this.eventLoops = new EventLoopProbes(b.eventLoopProbeInterval, nanos -> loopDelay.observe(nanos / 1e9));
        TimerMetrics.register(registry, gauges);
        RuntimeMetrics.register(registry, b);
        this.recovery = new RecoveryMetrics(registry, namespaces, reasons);
    }

    public static PrometheusMetricsBuilder builder() {
        return new PrometheusMetricsBuilder();
    }

    /** The registry every metric is registered in; add your own metrics to it. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Also exports the standalone server's counters (rejections by reason, publishes and their
     * deliveries, rooms-service connections). Once per instance.
     */
    public void exportStats(Stats serverStats) {
        Objects.requireNonNull(serverStats, "stats");
        if (!statsExported.compareAndSet(false, true)) {
            throw new IllegalStateException("stats already exported");
        }
        this.stats = serverStats;
        StatsMetrics.register(registry, serverStats);
        RecoveryMetrics.registerCatchUps(registry, serverStats);
    }

    /** The current values, read cheaply (no scrape): for a live dashboard. */
    public MetricsSample sample() {
        return MetricsSample.read(this);
    }

    @Override
    public void close() {
        eventLoops.close();
    }

    // ---- reading, for MetricsSample --------------------------------------------------------

    long sessions(int transport) {
        return sessions[transport].current();
    }

    Map<String, Long> socketsByNamespace() {
        Map<String, Long> out = new HashMap<>();
        sockets.forEach((nsp, g) -> out.put(nsp, g.current()));
        return out;
    }

    long packetsReceived(SocketPacketType type) {
        return packetsReceived[type.ordinal()].getLongValue();
    }

    long packetsSent(SocketPacketType type) {
        return packetsSent[type.ordinal()].getLongValue();
    }

    long handshakesRejectedTotal() {
        return sum(handshakesRejected) + sum(connectErrors);
    }

    long broadcastsTotal() {
        return sum(broadcasts);
    }

    Histogram deliveryHistogram() {
        return delivery;
    }

    Histogram ackHistogram() {
        return ackRoundTrip;
    }

    Stats stats() {
        return stats;
    }

    long recoveriesAttempted() { return recovery.attemptedTotal(); }

    private static long sum(Counter counter) {
        return (long) counter.collect().getDataPoints().stream().mapToDouble(p -> p.getValue()).sum();
    }

    int watchedEventLoops() {
        return eventLoops.watched();
    }

    // ---- SockeyeMetrics: Engine.IO -----------------------------------------------------------

    @Override
    public void sessionOpened(String transport, EventExecutor loop) {
        int t = index(transport);
        handshakes[t].inc();
        sessions[t].increment();
        eventLoops.watch(loop);
    }

    @Override
    public void requestRejected(String reason, boolean handshake) {
        (handshake ? handshakesRejected : requestsRejected).labelValues(reasons.of(reason)).inc();
    }

    // ---- SockeyeMetrics: connection state recovery (RecoveryMetrics) ---------------------------
    @Override public void recoveryAttempted(String namespace) { recovery.attempted(namespace); }
    @Override public void recoverySucceeded(String namespace, int replayed) { recovery.succeeded(namespace, replayed); }
    @Override public void recoveryFailed(String namespace, String reason) { recovery.failed(namespace, reason); }
    @Override public void recoveryTookOver(String namespace) { recovery.tookOver(namespace); }
    @Override public void historyAppended(String namespace, long bytes) { recovery.appended(namespace, bytes); }
    @Override public void historyEvicted(String namespace, long bytes, String reason) { recovery.evicted(namespace, bytes, reason); }

    @Override
    public void connectionRefused(String reason) {
        connectionsRefused.labelValues(reasons.of(reason)).inc();
    }

    @Override
    public void sessionUpgraded(String from, String to) {
        upgrades.inc();
        sessions[index(from)].decrement();
        sessions[index(to)].increment();
    }

    @Override
    public void sessionClosed(String transport, String reason) {
        sessions[index(transport)].decrement();
        engineDisconnects.labelValues(reasons.of(reason)).inc();
    }

    @Override
    public void enginePacketReceived(String transport, EnginePacketType type) {
        enginePacketsReceived[index(transport)][type.ordinal()].inc();
    }

    @Override
    public void enginePacketSent(String transport, EnginePacketType type) {
        enginePacketsSent[index(transport)][type.ordinal()].inc();
    }

    @Override
    public void engineBytesReceived(String transport, long bytes) {
        engineBytesReceived[index(transport)].inc(bytes);
    }

    @Override
    public void engineBytesSent(String transport, long bytes) {
        engineBytesSent[index(transport)].inc(bytes);
    }

    @Override
    public void volatileDropped() {
        volatileDropped.inc();
    }

    @Override
    public void slowConsumerClosed() {
        slowConsumerClosed.inc();
    }

    @Override
    public void binaryPacketRefused(String reason) {
        binaryPacketsRefused.labelValues(reasons.of(reason)).inc();
    }

    // ---- SockeyeMetrics: Socket.IO -----------------------------------------------------------

    @Override
    public void socketConnected(String namespace) {
        sockets.computeIfAbsent(namespaces.of(namespace), n -> new ConnectionGauge()).increment();
    }

    @Override
    public void socketDisconnected(String namespace, String reason) {
        String nsp = namespaces.of(namespace);
        ConnectionGauge g = sockets.get(nsp);
        if (g != null) {
            g.decrement();
        }
        socketDisconnects.labelValues(nsp, reasons.of(reason)).inc();
    }

    @Override
    public void connectRejected(String reason) {
        connectErrors.labelValues(reasons.of(reason)).inc();
    }

    @Override
    public void packetReceived(SocketPacketType type, long bytes) {
        packetsReceived[type.ordinal()].inc();
        bytesReceived[type.ordinal()].inc(bytes);
    }

    @Override
    public void packetSent(SocketPacketType type, long bytes) {
        packetsSent[type.ordinal()].inc();
        bytesSent[type.ordinal()].inc(bytes);
    }

    @Override
    public void eventReceived(String namespace, String event) {
        CounterDataPoint point = eventPoints.get(event);
        if (point == null) {
            String name = events.of(event);
            // Only allowed names are cached: the map stays as small as the label's bound.
            point = BoundedLabel.OTHER.equals(name) ? otherEvents
                    : eventPoints.computeIfAbsent(name, eventsReceived::labelValues);
        }
        point.inc();
    }

    @Override
    public void broadcastStarted(String namespace) {
        CounterDataPoint point = broadcastPoints.get(namespace);
        if (point == null) {
            String nsp = namespaces.of(namespace);
            point = broadcasts.labelValues(nsp);
            if (nsp.equals(namespace)) {
                broadcastPoints.putIfAbsent(nsp, point);
            }
        }
        point.inc();
    }

    @Override
    public void broadcastDelivered(int recipients, long elapsedNanos) {
        fanout.observe(recipients);
        delivery.observe(elapsedNanos / 1e9);
    }

    @Override
    public void ackReceived(long elapsedNanos) {
        ackRoundTrip.observe(elapsedNanos / 1e9);
    }

    @Override
    public void ackTimedOut() {
        ackTimeouts.inc();
    }

    // ---- SockeyeMetrics: cluster -------------------------------------------------------------

    // Each hook hands over to ClusterMetricFamilies, one line each as for recovery above.
    @Override public void clusterPublished(String type) { cluster.published(type); }
    @Override public void clusterPublishFailed(String type) { cluster.publishFailed(type); }
    @Override public void clusterReceived(String type) { cluster.received(type); }
    @Override public void clusterRequestTimedOut(String request) { cluster.requestTimedOut(request); }
    @Override public void clusterBusLatency(long elapsedNanos) { cluster.busLatency(elapsedNanos); }
    @Override public void clusterBusStatus(boolean up, String detail) { cluster.busStatus(up, detail); }

    /** Reports the bus's state and counters ({@code sockeye_cluster_bus_up} and the bus families) when scraped. */
    public void watchClusterBus(ClusterBusStatus bus) {
        cluster.watch(bus);
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

    private static int index(String transport) {
        return "websocket".equals(transport) ? 1 : "sse".equals(transport) ? 2 : 0;
    }

    private static String label(Enum<?> type) { return type.name().toLowerCase(Locale.ROOT); }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private Histogram histogram(String name, String help, double[] buckets) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(buckets)
                .withoutExemplars().register(registry);
    }

    private void serverGauge(String name, String help, ToLongFunction<ServerGauges> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            long total = 0;
            for (ServerGauges g : gauges) {
                total += value.applyAsLong(g);
            }
            cb.call(total);
        }).register(registry);
    }
}
