package io.sockeye.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the operations guide documents for the server library (connections, sockets, cluster,
 * runtime) is registered under the Prometheus name Micrometer's conventions give it, with the documented
 * tags.
 */
class MicrometerMetricsTest {

    /**
     * Families of the standalone server alone (its request counters, readiness, version, and the Netty
     * front's TCP counts).
     */
    private static final Set<String> STANDALONE_ONLY = Set.of("sockeye_rejections_total", "sockeye_publishes_total",
            "sockeye_publish_deliveries_total", "sockeye_rooms_service_connections", "sockeye_ready", "sockeye_info",
            // the Netty front's own counts (NettyFrontend.connectionStats()), not SockeyeMetrics hooks
            "sockeye_tcp_connections", "sockeye_tcp_connections_max", "sockeye_tcp_connections_refused_total",
            "sockeye_connection_timeouts_total", "sockeye_tcp_resets_total", "sockeye_direct_memory_pressure",
            // the rooms service's catch-ups (subscribe {since}), counted by the standalone server itself
            "sockeye_catch_ups_total", "sockeye_catch_up_replayed_messages_total",
            "sockeye_websocket_messages_compressed_total");
    private static final List<String> LABELS = List.of("transport", "reason", "type", "namespace", "event", "request",
            "allocator", "memory");
    private static final Pattern ROW = Pattern.compile("^\\| `(sockeye_[a-z_]+)` \\| \\w+ \\|([^|]*)\\|");
    private static final Pattern LABEL = Pattern.compile("^\\s*`([a-z_]+)`");

    @Test
    void registersEveryDocumentedMetricWithItsTags() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DefaultEventLoop loop = new DefaultEventLoop();
        try (MicrometerMetrics metrics = MicrometerMetrics.builder(registry).build()) {
            exercise(metrics, loop);
            StreamMeters.bind(registry, List.of("socket.io"), () -> Map.of("socket.io", 3L), Map::of);
            Map<String, Set<String>> registered = prometheusNames(registry);
            Map<String, Set<String>> documented = documented();
            assertThat(documented).hasSizeGreaterThan(30);
            documented.forEach((name, tags) -> {
                assertThat(registered).as("registered metrics").containsKey(name);
                assertThat(registered.get(name)).as("tags of " + name).containsAll(tags);
            });
        } finally {
            loop.shutdownGracefully();
        }
    }

    @Test
    void boundsTagValuesThatComeFromTheNetwork() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MicrometerMetrics metrics = MicrometerMetrics.builder(registry).eventAllowlist(Set.of("chat")).build()) {
            metrics.eventReceived("/", "chat");
            for (int i = 0; i < 1000; i++) {
                metrics.eventReceived("/", "spam-" + i);
            }
            assertThat(registry.find("sockeye.events.received").counters()).hasSize(2);
            assertThat(registry.get("sockeye.events.received").tag("event", "other").counter().count()).isEqualTo(1000);
        }
    }

    /** Calls every hook once, so that the meters tagged by run-time values exist. */
    private static void exercise(MicrometerMetrics m, DefaultEventLoop loop) {
        m.sessionOpened("polling", loop);
        m.sessionUpgraded("polling", "websocket");
        m.sessionClosed("websocket", "transport close");
        m.requestRejected("bad_request", true);
        m.requestRejected("unknown_sid", false);
        m.connectionRefused("proxy_header_missing");
        m.enginePacketReceived("websocket", EnginePacketType.MESSAGE);
        m.enginePacketSent("websocket", EnginePacketType.MESSAGE);
        m.engineBytesReceived("websocket", 10);
        m.engineBytesSent("websocket", 10);
        m.volatileDropped();
        m.slowConsumerClosed();
        m.socketConnected("/chat");
        m.socketDisconnected("/chat", "transport close");
        m.connectRejected("middleware");
        m.binaryPacketRefused("packet_too_large");
        m.packetReceived(SocketPacketType.EVENT, 10);
        m.packetSent(SocketPacketType.EVENT, 10);
        m.eventReceived("/chat", "chat");
        m.broadcastStarted("/chat");
        m.broadcastDelivered(3, 1_000_000);
        m.ackReceived(1_000_000);
        m.ackTimedOut();
        m.recoveryAttempted("/chat");
        m.recoverySucceeded("/chat", 2);
        m.recoveryFailed("/chat", "expired");
        m.recoveryTookOver("/chat");
        m.historyAppended("/chat", 100);
        m.historyEvicted("/chat", 100, "size");
        m.clusterPublished("BROADCAST");
        m.clusterPublishFailed("BROADCAST");
        m.clusterReceived("BROADCAST");
        m.clusterRequestTimedOut("FETCH_SOCKETS");
        m.clusterBusLatency(1_000_000);
        m.clusterBusStatus(true, "up");
        m.watchClusterBus(new ClusterBusStatus() {
            @Override public boolean isConnected() { return true; }
            @Override public ClusterBusStats stats() { return new ClusterBusStats(1, 0, 1, 0, 0, 2); }
            @Override public void close() { }
        });
        m.watchClusterNodes(() -> CompletableFuture.completedFuture(2));
        m.addGauges(new ServerGauges() {
            @Override public Map<String, Long> rooms() { return Map.of("/chat", 1L); }
        });
    }

    /** Registered meters by the name a Prometheus registry exports them under, with their tag keys. */
    private static Map<String, Set<String>> prometheusNames(SimpleMeterRegistry registry) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String name = NamingConvention.snakeCase.name(id.getName(), id.getType(), id.getBaseUnit());
            if (meter instanceof Timer) {
                name += "_seconds";
            } else if (id.getBaseUnit() != null && !name.endsWith("_" + id.getBaseUnit())) {
                name += "_" + id.getBaseUnit();
            }
            if (meter instanceof Counter || meter instanceof FunctionCounter) {
                name += "_total";
            }
            Set<String> tags = out.computeIfAbsent(name, n -> new TreeSet<>());
            id.getTags().forEach(t -> tags.add(t.getKey()));
        }
        return out;
    }

    /** The gateway's families: it is a part of the standalone server (its proxies and broker forwarding). */
    private static boolean isGateway(String name) {
        return name.startsWith("sockeye_proxy_") || name.startsWith("sockeye_forward_");
    }

    /** The metric tables of docs/operations.md: name → label names. */
    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "operations.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.find() || STANDALONE_ONLY.contains(row.group(1)) || isGateway(row.group(1))) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            // "`a`, `b` = values...; `c` = values": the names before each '=' are labels, what follows are values
            for (String clause : row.group(2).split(";")) {
                for (String part : clause.split(",")) {
                    Matcher label = LABEL.matcher(part);
                    if (label.find() && LABELS.contains(label.group(1))) {
                        labels.add(label.group(1));
                    }
                    if (part.contains("=")) {
                        break;
                    }
                }
            }
            out.put(row.group(1), labels);
        }
        return out;
    }
}
