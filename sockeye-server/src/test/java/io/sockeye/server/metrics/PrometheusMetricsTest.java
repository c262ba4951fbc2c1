package io.sockeye.server.metrics;

import io.netty.channel.DefaultEventLoop;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The Prometheus implementation: what each hook does to the exposition, and its label bounds. */
class PrometheusMetricsTest {

    private PrometheusMetrics metrics = PrometheusMetrics.builder().jvmMetrics(false).build();

    @AfterEach
    void tearDown() {
        metrics.close();
    }

    private TextExposition scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return TextExposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExpositionIsWellFormedAndHoldsTheFixedFamiliesFromTheStart() {
        metrics = PrometheusMetrics.builder().version("1.2.3").readiness(new Readiness()).build();
        TextExposition e = scrape();
        // Families labelled by values seen at run time (reasons, namespaces) appear with their first sample.
        assertThat(e.families().keySet()).contains(
                "sockeye_engine_connections", "sockeye_engine_connections_peak", "sockeye_handshakes_total",
                "sockeye_upgrades_total", "sockeye_engine_packets_received_total", "sockeye_engine_sent_bytes_total",
                "sockeye_slow_consumer_dropped_packets_total", "sockeye_slow_consumer_disconnects_total",
                "sockeye_outbound_buffered_bytes", "sockeye_packets_received_total",
                "sockeye_packet_sent_bytes_total", "sockeye_events_received_total",
                "sockeye_broadcast_fanout", "sockeye_broadcast_delivery_seconds", "sockeye_ack_round_trip_seconds",
                "sockeye_ack_timeouts_total", "sockeye_cluster_bus_latency_seconds", "sockeye_event_loop_delay_seconds",
                "sockeye_netty_allocator_used_bytes", "sockeye_netty_direct_memory_max_bytes", "sockeye_ready",
                "sockeye_info", "jvm_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_current");
        assertThat(e.value("sockeye_engine_connections", "transport", "websocket")).isZero();
        assertThat(e.value("sockeye_packets_received_total", "type", "binary_event")).isZero();
        assertThat(e.value("sockeye_info", "version", "1.2.3")).isEqualTo(1);
        assertThat(e.value("sockeye_ready")).isEqualTo(1);
    }

    @Test
    void tracksConnectionsAndTheirPeakAcrossAnUpgrade() {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            metrics.sessionOpened("polling", loop);
            metrics.sessionOpened("polling", loop);
            metrics.sessionUpgraded("polling", "websocket");
            metrics.sessionClosed("polling", "transport close");
            metrics.socketConnected("/");
            metrics.socketConnected("/");
            metrics.socketDisconnected("/", "client namespace disconnect");

            TextExposition e = scrape();
            assertThat(e.value("sockeye_engine_connections", "transport", "polling")).isZero();
            assertThat(e.value("sockeye_engine_connections", "transport", "websocket")).isEqualTo(1);
            assertThat(e.value("sockeye_engine_connections_peak", "transport", "polling")).isEqualTo(2);
            assertThat(e.value("sockeye_handshakes_total", "transport", "polling")).isEqualTo(2);
            assertThat(e.value("sockeye_upgrades_total")).isEqualTo(1);
            assertThat(e.value("sockeye_engine_disconnects_total", "reason", "transport close")).isEqualTo(1);
            assertThat(e.value("sockeye_connections", "namespace", "/")).isEqualTo(1);
            assertThat(e.value("sockeye_connections_peak", "namespace", "/")).isEqualTo(2);
            assertThat(e.value("sockeye_disconnects_total", "namespace", "/", "reason", "client namespace disconnect"))
                    .isEqualTo(1);
            assertThat(metrics.sample().connections()).isEqualTo(1);

            // The session's event loop is probed for scheduling delay from now on.
            assertThat(metrics.watchedEventLoops()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape().value("sockeye_event_loop_delay_seconds_count") > 0);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void countsPacketsAndBytesByTypeAndTransport() {
        metrics.enginePacketReceived("websocket", EnginePacketType.MESSAGE);
        metrics.engineBytesReceived("websocket", 10);
        metrics.enginePacketSent("polling", EnginePacketType.PING);
        metrics.engineBytesSent("polling", 1);
        metrics.packetReceived(SocketPacketType.EVENT, 12);
        metrics.packetReceived(SocketPacketType.EVENT, 8);
        metrics.packetSent(SocketPacketType.BINARY_EVENT, 100);

        TextExposition e = scrape();
        assertThat(e.value("sockeye_engine_packets_received_total", "transport", "websocket", "type", "message")).isEqualTo(1);
        assertThat(e.value("sockeye_engine_received_bytes_total", "transport", "websocket")).isEqualTo(10);
        assertThat(e.value("sockeye_engine_packets_sent_total", "transport", "polling", "type", "ping")).isEqualTo(1);
        assertThat(e.value("sockeye_packets_received_total", "type", "event")).isEqualTo(2);
        assertThat(e.value("sockeye_packet_received_bytes_total", "type", "event")).isEqualTo(20);
        assertThat(e.value("sockeye_packet_sent_bytes_total", "type", "binary_event")).isEqualTo(100);
        assertThat(metrics.sample().eventsReceived()).isEqualTo(2);
        assertThat(metrics.sample().eventsSent()).isEqualTo(1);
    }

    @Test
    void countsOnlyAllowlistedEventNamesByName() {
        metrics = PrometheusMetrics.builder().jvmMetrics(false).eventAllowlist(Set.of("chat")).build();
        metrics.eventReceived("/", "chat");
        metrics.eventReceived("/", "chat");
        metrics.eventReceived("/", "x-" + System.nanoTime());
        metrics.eventReceived("/", "y");

        TextExposition e = scrape();
        assertThat(e.value("sockeye_events_received_total", "event", "chat")).isEqualTo(2);
        assertThat(e.value("sockeye_events_received_total", "event", "other")).isEqualTo(2);
        assertThat(e.families().get("sockeye_events_received_total").samples()).hasSize(2);
    }

    @Test
    void withoutAnAllowlistKeepsTheFirstNamesAndCountsTheRestAsOther() {
        metrics = PrometheusMetrics.builder().jvmMetrics(false).maxEventNames(2).maxNamespaces(1).build();
        for (String name : new String[]{"a", "b", "c", "d", "a"}) {
            metrics.eventReceived("/", name);
        }
        metrics.socketConnected("/");
        metrics.socketConnected("/dyn-1");
        metrics.socketConnected("/dyn-2");

        TextExposition e = scrape();
        assertThat(e.value("sockeye_events_received_total", "event", "a")).isEqualTo(2);
        assertThat(e.value("sockeye_events_received_total", "event", "b")).isEqualTo(1);
        assertThat(e.value("sockeye_events_received_total", "event", "other")).isEqualTo(2);
        assertThat(e.value("sockeye_connections", "namespace", "/")).isEqualTo(1);
        assertThat(e.value("sockeye_connections", "namespace", "other")).isEqualTo(2);
    }

    @Test
    void recordsBroadcastsAcksAndLatenciesInSeconds() {
        metrics.broadcastStarted("/");
        metrics.broadcastDelivered(3, 2_000_000);
        metrics.broadcastDelivered(1, 500_000);
        metrics.ackReceived(30_000_000);
        metrics.ackTimedOut();

        TextExposition e = scrape();
        assertThat(e.value("sockeye_broadcasts_total", "namespace", "/")).isEqualTo(1);
        assertThat(e.value("sockeye_broadcast_fanout_count")).isEqualTo(2);
        assertThat(e.value("sockeye_broadcast_fanout_sum")).isEqualTo(4);
        assertThat(e.value("sockeye_broadcast_delivery_seconds_sum")).isCloseTo(0.0025, within(1e-9));
        assertThat(e.value("sockeye_broadcast_delivery_seconds_bucket", "le", "0.0005")).isEqualTo(1);
        assertThat(e.value("sockeye_ack_round_trip_seconds_bucket", "le", "0.05")).isEqualTo(1);
        assertThat(e.value("sockeye_ack_timeouts_total")).isEqualTo(1);

        MetricsSample sample = metrics.sample();
        assertThat(sample.broadcasts()).isEqualTo(1);
        assertThat(sample.delivery().count()).isEqualTo(2);
        assertThat(sample.delivery().quantile(0.99)).isBetween(0.001, 0.0025);
    }

    @Test
    void aLatencyWindowIsTheDifferenceOfTwoSamples() {
        metrics.broadcastDelivered(1, 1_000_000_000L); // 1 s, before the window
        MetricsSample before = metrics.sample();
        for (int i = 0; i < 100; i++) {
            metrics.broadcastDelivered(1, 200_000); // 0.2 ms
        }
        MetricsSample after = metrics.sample();
        MetricsSample.LatencyHistogram window = after.delivery().since(before.delivery());
        assertThat(window.count()).isEqualTo(100);
        assertThat(window.quantile(0.5)).isBetween(0.0001, 0.00025);
        assertThat(window.quantile(0.99)).isBetween(0.0001, 0.00025);
        assertThat(before.delivery().since(before.delivery()).quantile(0.5)).isNaN();
    }

    @Test
    void readsGaugesFromTheServersAtScrapeTime() {
        ServerGauges server = new ServerGauges() {
            @Override
            public long bufferedBytes() {
                return 4096;
            }

            @Override
            public Map<String, Long> rooms() {
                return Map.of("/", 3L, "/chat", 1L);
            }
        };
        metrics.addGauges(server);
        TextExposition e = scrape();
        assertThat(e.value("sockeye_outbound_buffered_bytes")).isEqualTo(4096);
        assertThat(e.value("sockeye_rooms", "namespace", "/")).isEqualTo(3);
        assertThat(e.value("sockeye_rooms", "namespace", "/chat")).isEqualTo(1);

        metrics.removeGauges(server);
        assertThat(scrape().value("sockeye_outbound_buffered_bytes")).isZero();
    }

    @Test
    void exportsTheServersRejectionCountersAndCountsHandshakeRefusalsForTheDashboard() {
        Stats stats = new Stats();
        metrics.exportStats(stats);
        stats.rejected(RejectionReason.RATE_LIMITED);
        stats.rejected(RejectionReason.TOO_LARGE);
        stats.rejected(RejectionReason.HANDSHAKE_RATE_IP);
        stats.published(3);
        metrics.requestRejected("unknown_transport", true);
        metrics.requestRejected("unknown_sid", false);
        metrics.connectRejected("middleware");

        TextExposition e = scrape();
        assertThat(e.value("sockeye_rejections_total", "reason", "rate_limited")).isEqualTo(1);
        assertThat(e.value("sockeye_rejections_total", "reason", "too_large")).isEqualTo(1);
        assertThat(e.value("sockeye_rejections_total", "reason", "api_too_large")).isZero();
        assertThat(e.value("sockeye_publishes_total")).isEqualTo(1);
        assertThat(e.value("sockeye_publish_deliveries_total")).isEqualTo(3);
        assertThat(e.value("sockeye_handshakes_rejected_total", "reason", "unknown_transport")).isEqualTo(1);
        assertThat(e.value("sockeye_engine_requests_rejected_total", "reason", "unknown_sid")).isEqualTo(1);
        assertThat(e.value("sockeye_connect_errors_total", "reason", "middleware")).isEqualTo(1);
        assertThat(metrics.sample().handshakesRejected()).as("engine + connect_error + the server's 503").isEqualTo(3);
    }

    @Test
    void aClusterBusGoingDownFlipsReadinessAndTheGauge() {
        Readiness readiness = new Readiness();
        metrics = PrometheusMetrics.builder().jvmMetrics(false).readiness(readiness).build();
        assertThat(scrape().has("sockeye_cluster_bus_up")).as("no bus reported yet").isFalse();

        metrics.clusterBusStatus(false, "redis: connection refused");
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.reasons()).containsExactly("cluster bus unreachable");
        TextExposition e = scrape();
        assertThat(e.value("sockeye_cluster_bus_up")).isZero();
        assertThat(e.value("sockeye_ready")).isZero();

        metrics.clusterBusStatus(true, "redis: connected");
        metrics.clusterPublished("BROADCAST");
        metrics.clusterReceived("BROADCAST");
        metrics.clusterRequestTimedOut("FETCH_SOCKETS");
        metrics.clusterBusLatency(Duration.ofMillis(2).toNanos());
        e = scrape();
        assertThat(readiness.ready()).isTrue();
        assertThat(e.value("sockeye_cluster_bus_up")).isEqualTo(1);
        assertThat(e.value("sockeye_cluster_published_total", "type", "broadcast")).isEqualTo(1);
        assertThat(e.value("sockeye_cluster_received_total", "type", "broadcast")).isEqualTo(1);
        assertThat(e.value("sockeye_cluster_request_timeouts_total", "request", "fetch_sockets")).isEqualTo(1);
        assertThat(e.value("sockeye_cluster_bus_latency_seconds_count")).isEqualTo(1);
    }

    @Test
    void aWatchedBusReportsItsStateAndItsOwnCountersWhenScraped() {
        metrics = PrometheusMetrics.builder().jvmMetrics(false).readiness(new Readiness()).build();
        assertThat(scrape().has("sockeye_cluster_bus_reconnects_total")).as("absent on a single node").isFalse();
        SettableBus bus = new SettableBus();
        bus.stats = new ClusterBusStats(10, 1, 20, 3, 2, 4);

        metrics.watchClusterBus(bus);
        TextExposition up = scrape();
        bus.connected = false;
        TextExposition down = scrape();

        assertThat(up.value("sockeye_cluster_bus_up")).isEqualTo(1);
        assertThat(up.value("sockeye_cluster_receive_errors_total")).isEqualTo(3);
        assertThat(up.value("sockeye_cluster_bus_reconnects_total")).isEqualTo(2);
        assertThat(up.value("sockeye_cluster_room_subscriptions")).isEqualTo(4);
        assertThat(down.value("sockeye_cluster_bus_up")).as("read at each scrape").isZero();
    }
}
