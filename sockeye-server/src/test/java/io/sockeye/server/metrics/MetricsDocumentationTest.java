package io.sockeye.server.metrics;

import io.netty.channel.DefaultEventLoop;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.sockeye.netty.ConnectionStats;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;
import io.sockeye.server.limits.Stats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/operations.md} and the Grafana dashboard name only metrics that exist, and every
 * {@code sockeye_*} metric is documented: after every hook has fired once, the exposition and the
 * documents must agree.
 */
class MetricsDocumentationTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern NAME = Pattern.compile("\\b(sockeye_[a-z_]+)");

    @Test
    void theDocsAndTheDashboardNameExactlyTheMetricsThatExist() throws Exception {
        Set<String> exposed = exposedFamilies();
        Set<String> documented = names(Files.readString(DOCS.resolve("operations.md")));
        Set<String> dashboard = names(Files.readString(DOCS.resolve("grafana/sockeye.json")));

        assertThat(documented).as("documented in operations.md but not exposed").isSubsetOf(exposed);
        assertThat(exposed).as("exposed but not documented in operations.md").isSubsetOf(documented);
        assertThat(dashboard).as("used by the Grafana dashboard but not exposed").isSubsetOf(exposed);
    }

    /** Family names (histogram and counter suffixes stripped to the family), with every hook fired. */
    private static Set<String> exposedFamilies() throws Exception {
        Readiness readiness = new Readiness();
        DefaultEventLoop loop = new DefaultEventLoop();
        try (PrometheusMetrics m = PrometheusMetrics.builder().readiness(readiness).version("test").build()) {
            m.exportStats(new Stats());
            m.sessionOpened("polling", loop);
            m.requestRejected("unknown_transport", true);
            m.requestRejected("unknown_sid", false);
            m.connectionRefused("proxy_header_missing");
            m.sessionUpgraded("polling", "websocket");
            m.sessionClosed("websocket", "transport close");
            m.enginePacketReceived("websocket", EnginePacketType.MESSAGE);
            m.enginePacketSent("websocket", EnginePacketType.MESSAGE);
            m.engineBytesReceived("websocket", 1);
            m.engineBytesSent("websocket", 1);
            m.volatileDropped();
            m.slowConsumerClosed();
            m.binaryPacketRefused("packet_too_large");
            m.socketConnected("/");
            m.socketDisconnected("/", "transport close");
            m.connectRejected("middleware");
            m.packetReceived(SocketPacketType.EVENT, 1);
            m.packetSent(SocketPacketType.EVENT, 1);
            m.eventReceived("/", "chat");
            m.broadcastStarted("/");
            m.broadcastDelivered(1, 1);
            m.ackReceived(1);
            m.ackTimedOut();
            m.recoveryAttempted("/");
            m.recoverySucceeded("/", 2);
            m.recoveryFailed("/", "pruned");
            m.recoveryTookOver("/");
            m.historyAppended("/", 100);
            m.historyEvicted("/", 100, "size");
            m.clusterPublished("BROADCAST");
            m.clusterPublishFailed("BROADCAST");
            m.clusterReceived("BROADCAST");
            m.clusterRequestTimedOut("FETCH_SOCKETS");
            m.clusterBusLatency(1);
            m.clusterBusStatus(true, "up");
            m.watchClusterBus(new SettableBus());
            Observability.registerStreamLengths(m.registry(), () -> java.util.Map.of("socket.io", 3L));
            Observability.registerStreamMemory(m.registry(), () -> java.util.Map.of("socket.io", 4096L));
            m.addGauges(new io.sockeye.core.metrics.ServerGauges() {
                @Override
                public java.util.Map<String, Long> rooms() {
                    return java.util.Map.of("/", 1L);
                }

                @Override
                public long timerPendingTimeouts() {
                    return 2;
                }
            });
            ConnectionMetrics.register(m.registry(), new ConnectionStats() {
                @Override public long open() { return 1; }
                @Override public long maxConnections() { return 2; }
                @Override public long refused(ConnectionStats.Refusal why) { return 1; }
                @Override public long timedOut(ConnectionStats.Deadline deadline) { return 1; }
                @Override public long reset(ConnectionStats.Reset why) { return 1; }
                @Override public boolean directMemoryPressure() { return false; }
            });
            io.sockeye.server.gateway.GatewayMetrics gateway = io.sockeye.server.gateway.GatewayMetrics.register(m.registry());
            gateway.inFlight("rpc", () -> 1);
            gateway.proxied("rpc", "ok", 1);
            gateway.proxyError("rpc", "timeout");
            gateway.retried("rpc");
            gateway.headerRefused("rpc");
            gateway.grantIgnored();
            gateway.forwarded("kafka", true, 1);
            gateway.forwardError("kafka", "timeout");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ClusterNodesGauge nodes = new ClusterNodesGauge(m.registry(),
                    () -> java.util.concurrent.CompletableFuture.completedFuture(2))) {
                // its first answer comes from its own thread
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> m.registry().scrape().stream()
                        .anyMatch(s -> s.getMetadata().getPrometheusName().equals("sockeye_cluster_nodes")
                                && !s.getDataPoints().isEmpty()));
                PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
            }
            TextExposition e = TextExposition.parse(out.toString(StandardCharsets.UTF_8));
            Set<String> names = new TreeSet<>();
            for (TextExposition.Family f : e.families().values()) {
                if (f.name().startsWith("sockeye_")) {
                    names.add(f.name());
                }
            }
            return names;
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The metric names mentioned, histogram sample suffixes mapped to their family. */
    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.endsWith("_")) {
                continue; // a prefix in prose, e.g. "sockeye_*"
            }
            out.add(name.replaceAll("_(bucket|sum|count)$", ""));
        }
        return out;
    }
}
