package io.sockeye.server.metrics;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.netty.HttpFallback;
import io.sockeye.server.limits.Stats;

import java.util.Objects;
import java.util.Set;

/**
 * The standalone server's metrics, health probes and admin port, assembled in one place:
 *
 * <pre>
 * PrometheusMetrics   the core's SockeyeMetrics (ServerOptions.metrics), JVM and Netty memory,
 *                     the rooms service's Stats once exported
 * Readiness           flipped by the drain and by the cluster bus
 * routes()            for the public port: /healthz, /readyz, and /metrics behind the API key
 * AdminServer         with a metrics port: /metrics (no key), /healthz, /readyz on their own port
 * </pre>
 *
 * Build it before the {@code SocketIoServer} (its options need {@link #metrics()}), {@link #start()}
 * it with the server, {@link #close()} it after.
 */
public final class Observability implements AutoCloseable {

    /** The standalone client protocol's events: counted by name, anything else as {@code other}. */
    public static final Set<String> ROOMS_PROTOCOL_EVENTS = Set.of("subscribe", "unsubscribe", "publish", "presence",
            "refresh");

    private final Readiness readiness = new Readiness();
    private final PrometheusMetrics metrics;
    private final MetricsEndpoint publicMetrics;
    private final HttpFallback routes;
    private final Integer adminPort;
    private final String adminHost;
    private MetricsEndpoint adminMetrics;
    private AdminServer admin;
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
        this.routes = OpsRoutes.chain(new HealthEndpoint(readiness), publicMetrics);
        this.adminPort = b.adminPort;
        this.adminHost = b.adminHost;
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
     * Exports {@code sockeye_cluster_nodes} from {@code serverCount} (e.g. {@code io.of("/")::serverCount}),
     * asked every two seconds off the scrape path. For clustered nodes; once.
     */
    public synchronized void exportClusterNodes(java.util.function.Supplier<java.util.concurrent.CompletableFuture<Integer>> serverCount) {
        if (clusterNodes != null) {
            throw new IllegalStateException("cluster nodes already exported");
        }
        clusterNodes = new ClusterNodesGauge(metrics.registry(), serverCount);
    }

    /** {@code /healthz}, {@code /readyz} and {@code /metrics} for the public port; chain it before the app's routes. */
    public HttpFallback routes() {
        return routes;
    }

    /**
     * Starts the admin port, if one is configured.
     *
     * @throws RuntimeException when it cannot be bound (Netty rethrows the bind's IOException unchecked)
     */
    public synchronized void start() {
        if (adminPort != null && admin == null) {
            adminMetrics = MetricsEndpoint.open(metrics.registry());
            try {
                admin = AdminServer.start(adminHost, adminPort, OpsRoutes.chain(new HealthEndpoint(readiness), adminMetrics));
            } catch (RuntimeException e) {
                adminMetrics.close();
                adminMetrics = null;
                throw e;
            }
        }
    }

    /** The admin port actually bound (useful with 0), or {@code null} without one. */
    public synchronized Integer adminPort() {
        return admin == null ? null : admin.port();
    }

    @Override
    public synchronized void close() {
        if (clusterNodes != null) {
            clusterNodes.close();
        }
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (adminMetrics != null) {
            adminMetrics.close();
        }
        publicMetrics.close();
        metrics.close();
    }

    /** Options; all optional. */
    public static final class Builder {
        private String apiKey;
        private Integer adminPort;
        private String adminHost;
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

        /** Serve metrics and probes on this port too (0 = any free port); null = no admin port. */
        public Builder adminPort(Integer port) {
            this.adminPort = port;
            return this;
        }

        /** Address of the admin port; null = all interfaces. */
        public Builder adminHost(String host) {
            this.adminHost = host;
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
