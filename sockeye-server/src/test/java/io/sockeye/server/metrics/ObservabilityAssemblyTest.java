package io.sockeye.server.metrics;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.http.HttpRouter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Observability} assembled as the standalone server uses it: public routes, metrics port, cluster bus state. */
class ObservabilityAssemblyTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesProbesOnBothPortsMetricsOpenlyOnlyOnTheMetricsPortAndFollowsTheBus() throws Exception {
        try (Observability ops = Observability.builder().apiKey("k").metricsHost("127.0.0.1").metricsPort(0)
                .clusterBus("redis").version("9.9").build()) {
            SocketIoServer io = SocketIoServer.create(ServerOptions.builder().metrics(ops.metrics()).build());
            NettyFrontend server = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io)
                    .fallback(HttpRouter.of(ops.routes())).build().start();
            try {
                ops.start();
                String pub = "http://127.0.0.1:" + server.port();
                String metricsPort = "http://127.0.0.1:" + ops.metricsPort();

                assertThat(get(pub + "/metrics").statusCode()).isEqualTo(401);
                HttpResponse<String> scraped = get(metricsPort + "/metrics");
                assertThat(scraped.statusCode()).isEqualTo(200);
                assertThat(TextExposition.parse(scraped.body()).value("sockeye_info", "version", "9.9")).isEqualTo(1);
                assertThat(get(pub + "/healthz").statusCode()).isEqualTo(200);
                assertThat(get(metricsPort + "/readyz").body()).contains("\"clusterBus\":\"up\"");

                ops.metrics().clusterBusStatus(false, "redis: connection refused");
                HttpResponse<String> down = get(pub + "/readyz");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("cluster bus unreachable", "redis: connection refused");
                assertThat(get(metricsPort + "/healthz").statusCode()).as("liveness ignores the bus").isEqualTo(200);

                ops.metrics().clusterBusStatus(true, "redis: connected");
                assertThat(get(pub + "/readyz").statusCode()).isEqualTo(200);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void clusterNodesGaugeReportsTheAdaptersCountAndNothingWhileItCannotSay() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Integer>> answer =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.concurrent.CompletableFuture.completedFuture(3));
        try (Observability ops = Observability.builder().apiKey("k").metricsHost("127.0.0.1").metricsPort(0).build()) {
            ops.exportCluster(new SettableBus(), answer::get);
            ops.start();
            String metricsPort = "http://127.0.0.1:" + ops.metricsPort() + "/metrics";
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(TextExposition.parse(get(metricsPort).body()).value("sockeye_cluster_nodes")).isEqualTo(3));

            answer.set(java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("bus down")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(metricsPort).body()).doesNotContain("sockeye_cluster_nodes "));
        }
    }

    @Test
    void streamLengthsAndMemoryAreExportedPerStream() throws Exception {
        try (Observability ops = Observability.builder().apiKey("k").metricsHost("127.0.0.1").metricsPort(0).build()) {
            ops.exportStreamLengths(() -> java.util.Map.of("socket.io-0", 12L, "socket.io-1", 0L));
            ops.exportStreamMemory(() -> java.util.Map.of("socket.io-0", 5120L));
            ops.start();
            TextExposition scraped = TextExposition.parse(get("http://127.0.0.1:" + ops.metricsPort() + "/metrics").body());
            assertThat(scraped.value("sockeye_cluster_stream_length", "stream", "socket.io-0")).isEqualTo(12);
            assertThat(scraped.value("sockeye_cluster_stream_length", "stream", "socket.io-1")).isEqualTo(0);
            assertThat(scraped.value("sockeye_cluster_stream_memory_bytes", "stream", "socket.io-0")).isEqualTo(5120);
        }
    }
}
