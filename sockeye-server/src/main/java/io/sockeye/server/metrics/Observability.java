package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.netty.ConnectionStats;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.limits.Stats;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The standalone server's metrics, health probes and metrics port, assembled in one place:
 *
 * <pre>
 * PrometheusMetrics   the core's SockeyeMetrics (ServerOptions.metrics), JVM and Netty memory,
 *                     the rooms service's Stats once exported
 * Readiness           flipped by the drain and by the cluster bus
 * exportCluster()     the cluster bus's state and counters, and the node count, when clustered
 * exportStreamLengths() and exportStreamMemory() the Redis streams' lengths and memory, with the Redis Streams adapter
 * exportConnections() the front's connection caps, deadlines and resets, and direct memory pressure
 * routes()            for the public port: /healthz, /readyz, and /metrics behind the API key
 * MetricsPortServer   with a metrics port: /metrics (no key), /healthz, /readyz on their own port
 * </pre>
 *
 * Build it before the {@code SocketIoServer} (its options need {@link #metrics()}), {@link #start()}
 * it with the server, {@link #close()} it after.
 */
public final class Observability implements AutoCloseable {

    /** The standalone client protocol's events: counted by name, anything else as {@code other}. */
    public static final Set<String> ROOMS_PROTOCOL_EVENTS = Set.of("subscribe", "unsubscribe", "publish", "presence",
            "refresh", "rpc");

    private final Readiness readiness = new Readiness();
    private final PrometheusMetrics metrics;
    private final MetricsEndpoint publicMetrics;
    private final HttpFeature routes;
    private final Integer metricsPort;
    private final String metricsHost;
    private MetricsEndpoint openMetrics;
    private MetricsPortServer metricsPortServer;
    private ClusterNodesGauge clusterNodes;

    private Observability(Builder b) {
        this.metrics = PrometheusMetrics.builder()
                .readiness(readiness)
                .eventAllowlist(b.eventNames)
                .version(b.version)
                .build();
        if (b.clusterBus != null) {
            readiness.clusterBusConfigured(b.clusterBus);
        }
        this.publicMetrics = MetricsEndpoint.protectedBy(metrics.registry(), b.apiKey);
        HealthEndpoint health = new HealthEndpoint(readiness);
        this.routes = routes -> routes.add(health).add(publicMetrics);
        this.metricsPort = b.metricsPort;
        this.metricsHost = b.metricsHost;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For {@code ServerOptions.builder().metrics(...)}. */
    public SockeyeMetrics metrics() {
        return metrics;
    }

    /** The Prometheus implementation itself: its registry, and {@link PrometheusMetrics#sample()} for dashboards. */
    public PrometheusMetrics prometheus() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** Exports the rooms service's counters (rejections, publishes). */
    public void exportStats(Stats stats) {
        metrics.exportStats(stats);
    }

    /**
     * Also exports what the front's connection limits and deadlines did (open, refused, timed out and reset
     * connections) and whether direct memory runs short. Once.
     */
    public void exportConnections(ConnectionStats connections) {
        ConnectionMetrics.register(metrics.registry(), connections);
    }

    /**
     * Exports the cluster bus: {@code sockeye_cluster_bus_up} and the bus's counters from {@code bus},
     * read when scraped, and {@code sockeye_cluster_nodes} from {@code serverCount} (e.g.
     * {@code io.of("/")::serverCount}), asked every two seconds off the scrape path. For clustered
     * nodes; once.
     */
    public synchronized void exportCluster(ClusterBusStatus bus, Supplier<CompletableFuture<Integer>> serverCount) {
        if (clusterNodes != null) {
            throw new IllegalStateException("cluster already exported");
        }
        metrics.watchClusterBus(bus);
        clusterNodes = new ClusterNodesGauge(metrics.registry(), serverCount);
    }

    /**
     * Exports {@code sockeye_cluster_stream_length} (label {@code stream}) from {@code lengths}, read when
     * scraped: the Redis Streams adapter's streams. {@code lengths} must answer at once.
     */
    public void exportStreamLengths(Supplier<Map<String, Long>> lengths) {
        registerStreamLengths(metrics.registry(), lengths);
    }

    static void registerStreamLengths(PrometheusRegistry registry, Supplier<Map<String, Long>> lengths) {
        registerPerStream(registry, "sockeye_cluster_stream_length",
                "Entries each Redis stream of the cluster bus holds (Redis Streams adapter)", lengths);
    }

    private static void registerPerStream(PrometheusRegistry registry, String name, String help,
                                          Supplier<Map<String, Long>> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("stream")
                .callback(cb -> values.get().forEach((stream, value) -> cb.call(value, stream)))
                .register(registry);
    }

    /**
     * Exports {@code sockeye_cluster_stream_memory_bytes} (label {@code stream}) from {@code bytes}, read
     * when scraped: the memory of the Redis Streams adapter's streams in Redis. {@code bytes} must answer
     * at once.
     */
    public void exportStreamMemory(Supplier<Map<String, Long>> bytes) {
        registerStreamMemory(metrics.registry(), bytes);
    }

    static void registerStreamMemory(PrometheusRegistry registry, Supplier<Map<String, Long>> bytes) {
        registerPerStream(registry, "sockeye_cluster_stream_memory_bytes",
                "Memory each Redis stream of the cluster bus takes in Redis (MEMORY USAGE, Redis Streams adapter)", bytes);
    }

    /** {@code /healthz}, {@code /readyz} and {@code /metrics} (behind the API key) for the public port's router. */
    public HttpFeature routes() {
        return routes;
    }

    /**
     * Starts the metrics port, if one is configured.
     *
     * @throws RuntimeException when it cannot be bound (Netty rethrows the bind's IOException unchecked)
     */
    public synchronized void start() {
        if (metricsPort != null && metricsPortServer == null) {
            openMetrics = MetricsEndpoint.open(metrics.registry());
            try {
                metricsPortServer = MetricsPortServer.start(metricsHost, metricsPort, new HealthEndpoint(readiness), openMetrics);
            } catch (RuntimeException e) {
                openMetrics.close();
                openMetrics = null;
                throw e;
            }
        }
    }

    /** The metrics port actually bound (useful with 0), or {@code null} without one. */
    public synchronized Integer metricsPort() {
        return metricsPortServer == null ? null : metricsPortServer.port();
    }

    @Override
    public synchronized void close() {
        if (clusterNodes != null) {
            clusterNodes.close();
        }
        if (metricsPortServer != null) {
            metricsPortServer.close();
            metricsPortServer = null;
        }
        if (openMetrics != null) {
            openMetrics.close();
        }
        publicMetrics.close();
        metrics.close();
    }

    /** Options; all optional. */
    public static final class Builder {
        private String apiKey;
        private Integer metricsPort;
        private String metricsHost;
        private String version;
        private String clusterBus;
        private Set<String> eventNames = ROOMS_PROTOCOL_EVENTS;

        private Builder() {
        }

        /** The HTTP API key that also guards {@code /metrics} on the public port; null = public metrics refused. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Serve metrics and probes on this port too (0 = any free port); null = no metrics port. */
        public Builder metricsPort(Integer port) {
            this.metricsPort = port;
            return this;
        }

        /** Address of the metrics port; null = all interfaces. */
        public Builder metricsHost(String host) {
            this.metricsHost = host;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * A cluster bus is configured ({@code "redis"} or {@code "nats"}): {@code /readyz} shows it, and
         * turns 503 while its adapter reports it down through {@code SockeyeMetrics.clusterBusStatus}.
         */
        public Builder clusterBus(String name) {
            this.clusterBus = name;
            return this;
        }

        /** Event names counted by name (default {@link #ROOMS_PROTOCOL_EVENTS}). */
        public Builder eventNames(Set<String> names) {
            this.eventNames = Set.copyOf(Objects.requireNonNull(names, "names"));
            return this;
        }

        public Observability build() {
            return new Observability(this);
        }
    }
}
