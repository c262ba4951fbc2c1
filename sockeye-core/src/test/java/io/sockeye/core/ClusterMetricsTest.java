package io.sockeye.core;

import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.InProcessBus;
import io.sockeye.core.adapter.NamespaceContext;
import io.sockeye.core.internal.socket.NamespaceImpl;
import io.sockeye.core.metrics.RecordingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster adapters report their bus traffic to the metrics of the server they serve: publishes
 * (with the bus's latency), receipts, and requests that time out. Two servers on an in-process bus.
 */
class ClusterMetricsTest {

    private final InProcessBus bus = new InProcessBus();
    private final ClusterAdapterOptions cluster = ClusterAdapterOptions.defaults()
            .withRequestsTimeout(Duration.ofMillis(300));
    private final RecordingMetrics metricsA = new RecordingMetrics();
    private final RecordingMetrics metricsB = new RecordingMetrics();
    private final SocketIoHarness a = new SocketIoHarness(o -> o.metrics(metricsA).adapterFactory(bus.adapterFactory(cluster)));
    private final SocketIoHarness b = new SocketIoHarness(o -> o.metrics(metricsB).adapterFactory(bus.adapterFactory(cluster)));

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        bus.close();
    }

    @Test
    void anAdapterFindsItsServersMetrics() {
        assertThat(((NamespaceContext) a.io.sockets()).metrics()).isSameAs(metricsA);
    }

    @Test
    void aBroadcastIsPublishedOnceAndReceivedAndDeliveredOnTheOtherNode() {
        InMemoryEngineSocket onB = b.connect("/");
        a.io.emit("news", 1);
        assertThat(onB.nextText()).isEqualTo("2[\"news\",1]");

        await().atMost(Duration.ofSeconds(30)).until(() -> metricsA.count("clusterPublished", "BROADCAST") == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> metricsB.count("clusterReceived", "BROADCAST") == 1);
        assertThat(metricsA.busLatencies).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> metricsB.fanOuts.contains(1));
    }

    @Test
    void aRequestToANodeThatStoppedAnsweringCountsAsTimedOut() {
        // B announces itself, then drops off the bus without saying goodbye.
        await().atMost(Duration.ofSeconds(30)).until(() -> metricsA.count("clusterReceived", "INITIAL_HEARTBEAT")
                + metricsA.count("clusterReceived", "HEARTBEAT") > 0);
        bus.disconnect(((NamespaceImpl) b.io.sockets()).adapter());

        CompletableFuture<?> sockets = a.io.fetchSockets();
        assertThat(sockets).failsWithin(Duration.ofSeconds(30));
        // The counter is bumped by a completion stage that may run just after the future fails.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(metricsA.count("clusterRequestTimedOut", "FETCH_SOCKETS")).isEqualTo(1));
    }
}
