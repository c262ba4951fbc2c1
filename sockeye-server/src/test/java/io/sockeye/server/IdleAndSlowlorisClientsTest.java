package io.sockeye.server;

import io.sockeye.server.config.ConfigLoader;
import io.sockeye.testkit.RawHttpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assembled server, configured by its flags, against connections that hold a descriptor without
 * finishing a request: a silent one and a slowloris are closed by their deadlines (short here, so that the
 * tests wait for the close instead of sleeping), and one address cannot hold more TCP connections than its
 * cap while another still connects. Each is counted on the metrics port. Real sockets from 127.0.0.x.
 */
class IdleAndSlowlorisClientsTest {

    private static final String LONG_HEAD = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
            + "a".repeat(400) + "\r\n\r\n";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ScheduledExecutorService slowloris = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SockeyeApplication app;

    @AfterEach
    void closeAll() throws Exception {
        slowloris.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void start(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--warmup=false"));
        all.addAll(List.of(args));
        app = SockeyeApplication.start(ConfigLoader.load(all.toArray(String[]::new)));
        toClose.add(app);
    }

    private RawHttpConnection connect(String address) {
        RawHttpConnection c = new RawHttpConnection(address, app.port());
        toClose.add(c);
        return c;
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosedAtTheIdleTimeout() throws Exception {
        start("--idle-timeout", "300ms");
        assertThat(connect("127.0.0.2").readUntilClosed()).isEmpty();
        assertThat(metrics()).contains("sockeye_connection_timeouts_total{deadline=\"idle\"} 1.0");
    }

    @Test
    void aHeadSentByteByByteIsAnswered408AtTheRequestHeadTimeout() throws Exception {
        start("--request-head-timeout", "300ms");
        RawHttpConnection loris = connect("127.0.0.2");
        // One byte per interval: the whole head would take far longer than its deadline.
        AtomicInteger next = loris.drip(LONG_HEAD, slowloris, Duration.ofMillis(20));

        assertThat(loris.readUntilClosed()).startsWith("HTTP/1.1 408 Request Timeout");
        assertThat(next.get()).isLessThan(LONG_HEAD.length());
        assertThat(metrics()).contains("sockeye_connection_timeouts_total{deadline=\"request_head\"} 1.0");
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AtTheRequestBodyTimeout() throws Exception {
        start("--request-body-timeout", "300ms");
        RawHttpConnection stalled = connect("127.0.0.2");
        stalled.write("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"room\":");
        assertThat(stalled.readUntilClosed()).startsWith("HTTP/1.1 408 Request Timeout");
        assertThat(metrics()).contains("sockeye_connection_timeouts_total{deadline=\"request_body\"} 1.0");
    }

    @Test
    void anAddressAtItsTcpCapIsRefusedAtAcceptWhileAnotherAddressConnects() throws Exception {
        start("--max-tcp-connections-per-ip", "2");
        for (int i = 0; i < 2; i++) { // held open, not one of them a Socket.IO connection
            RawHttpConnection held = connect("127.0.0.2");
            held.get("/healthz");
            assertThat(held.readResponse()).startsWith("HTTP/1.1 200");
        }

        assertThat(RawHttpConnection.answerOfNewConnection("127.0.0.2", app.port(), "/healthz"))
                .as("answer to the address's third connection").isEmpty();
        RawHttpConnection other = connect("127.0.0.3");
        other.get("/healthz");
        assertThat(other.readResponse()).startsWith("HTTP/1.1 200");
        assertThat(metrics()).contains("sockeye_tcp_connections_refused_total{reason=\"per_address\"} 1.0");
    }
}
