package io.sockeye.server;

import io.sockeye.server.config.ConfigLoader;
import io.sockeye.testkit.RawHttpConnection;
import io.sockeye.testkit.RawWebSocket;
import io.sockeye.testkit.TcpTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The assembled server against clients that hold on to connections: one that stops reading is cut off and
 * counts against its address until its socket is really gone — so one address never piles up connections
 * past its limit — while the others keep receiving; and with every connection taken, health checks still
 * answer on the metrics port and from the main port's reserve. Real sockets from 127.0.0.x.
 */
class ConnectionSlotsTest {

    private static final String KEY = "test-api-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DATA = "x".repeat(60_000);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private SockeyeApplication app;

    @BeforeEach
    void linuxOnly() {
        assumeThat(TcpTable.available()).as("/proc/net/tcp").isTrue();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void start(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--api-key", KEY, "--warmup=false"));
        all.addAll(List.of(args));
        app = SockeyeApplication.start(ConfigLoader.load(all.toArray(String[]::new)));
        toClose.add(app);
    }

    private InetSocketAddress server() {
        return new InetSocketAddress("127.0.0.1", app.port());
    }

    /** A WebSocket client from {@code address} that connected to the rooms service; not yet subscribed. */
    private RawWebSocket connect(String address, int receiveBuffer) {
        RawWebSocket ws = RawWebSocket.open(address, server(), "/socket.io/?EIO=4&transport=websocket", receiveBuffer);
        toClose.add(ws);
        ws.await(m -> m.startsWith("0{"), TIMEOUT);
        ws.send("40");
        return ws;
    }

    private RawWebSocket subscriber(String address, int receiveBuffer) {
        RawWebSocket ws = connect(address, receiveBuffer);
        ws.await(m -> m.startsWith("40{"), TIMEOUT);
        ws.send("421[\"subscribe\",\"news\"]");
        ws.await(m -> m.startsWith("431[{\"ok\":true"), TIMEOUT);
        return ws;
    }

    private String serverSide(RawWebSocket client) {
        return TcpTable.state(server(), client.localAddress());
    }

    private HttpResponse<String> api(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.url() + "api/" + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void publish() throws Exception {
        assertThat(api("publish", "{\"room\":\"news\",\"event\":\"tick\",\"data\":\"" + DATA + "\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void clientsThatStopReadingAreCutOffOneAfterAnotherAndNeverPileUpOnTheirAddress() throws Exception {
        start("--max-connections-per-ip", "1", "--max-buffered-bytes", "262144");
        RawWebSocket reader = subscriber("127.0.0.3", 0);
        AtomicInteger received = new AtomicInteger();
        reader.readInBackground(m -> {
            if (m.startsWith("42[\"tick\"")) {
                received.incrementAndGet();
            }
        });
        int published = 0;
        for (int round = 0; round < 3; round++) {
            // Admitted only if the previous stalled connection's slot came back, with its socket.
            RawWebSocket stalled = subscriber("127.0.0.2", 4096);
            for (int i = 0; i < 400 && serverSide(stalled).equals("ESTABLISHED"); i++) {
                publish();
                published++;
            }
            assertThat(serverSide(stalled)).as("the stalled client's socket, server side").isNotEqualTo("ESTABLISHED");
        }
        int total = published;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received.get()).isEqualTo(total));
    }

    @Test
    void aDisconnectedClientThatDoesNotReadKeepsItsAddressSlotUntilItsSocketIsGone() throws Exception {
        start("--max-connections-per-ip", "1");
        RawWebSocket stalled = subscriber("127.0.0.2", 4096);
        for (int i = 0; i < 100; i++) { // 6 MB: more than the kernel holds for it, less than max_buffered_bytes
            publish();
        }

        // The disconnection waits behind all that, and the client never reads it: counted disconnected now...
        assertThat(api("disconnect", "{\"room\":\"news\"}").body()).contains("\"count\":1");
        await().atMost(Duration.ofSeconds(30)).until(() -> app.io().sockets().sockets().isEmpty());
        assertThat(serverSide(stalled)).isEqualTo("ESTABLISHED");
        // ...but its socket is still there, and still counts against its address.
        RawWebSocket refused = connect("127.0.0.2", 0);
        assertThat(refused.await(m -> m.startsWith("44"), TIMEOUT)).contains("rate_limited");

        stalled.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(serverSide(stalled)).isNotEqualTo("ESTABLISHED"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RawWebSocket again = connect("127.0.0.2", 0);
            assertThat(again.await(m -> m.startsWith("4"), TIMEOUT)).startsWith("40{");
        });
    }

    @Test
    void withEveryConnectionTakenHealthChecksStillAnswer() throws Exception {
        start("--max-tcp-connections", "2", "--metrics-port", "0");
        for (String address : List.of("127.0.0.2", "127.0.0.3")) {
            RawHttpConnection client = new RawHttpConnection(address, app.port());
            toClose.add(client);
            client.get("/healthz");
            assertThat(client.readResponse()).startsWith("HTTP/1.1 200");
        }

        RawHttpConnection probe = new RawHttpConnection("127.0.0.4", app.port());
        toClose.add(probe);
        probe.get("/healthz");
        assertThat(probe.readUntilClosed()).startsWith("HTTP/1.1 200").contains("\"status\":\"alive\"");
        RawHttpConnection page = new RawHttpConnection("127.0.0.5", app.port());
        toClose.add(page);
        page.get("/");
        assertThat(page.readUntilClosed()).startsWith("HTTP/1.1 503");

        HttpResponse<String> metricsPort = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.metricsPort() + "/healthz")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metricsPort.statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("sockeye_tcp_connections_max 2.0",
                "sockeye_tcp_connections_refused_total{reason=\"not_a_health_check\"} 1.0");
    }
}
