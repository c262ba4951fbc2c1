package io.sockeye.tests.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The per-address limits behind the real proxies of docs/clustering.md, with two client addresses:
 * clients connect from 127.0.0.2 and 127.0.0.3 (both this machine), the proxies reach the node from
 * 127.0.0.1, its one trusted proxy. One client address using up its handshakes or connections does
 * not refuse the other, each socket's {@code handshake.address} is its client's (as the dashboard
 * lists it) and its request's peer is the proxy; what a client says about its own address — forwarding headers through the
 * proxy, or straight to the node — changes nothing.
 */
@DisplayName("standalone server: the client address behind nginx and HAProxy")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientAddressEndToEndTest {

    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";
    private static final Map<String, List<String>> SPOOFED = Map.of(
            "X-Forwarded-For", List.of("198.51.100.1"), "Forwarded", List.of("for=198.51.100.2"),
            "X-Real-IP", List.of("198.51.100.3"));

    private static final String DASHBOARD_PASSWORD = "dashboard-password-for-tests";

    private SockeyeCluster node;
    private ProxyProcess proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private String connectionLimited(String... flags) throws IOException {
        node = SockeyeCluster.start(1, withTrust("--max-connections-per-ip", "1", flags));
        warmUp();
        return node.url(1);
    }

    /**
     * One {@code /healthz} straight from 127.0.0.4 (not a trusted proxy, so no PROXY header needed): a
     * cold node's first answer can take longer than HAProxy's 2 s check, which would mark it down.
     */
    private void warmUp() throws IOException {
        try (java.net.Socket s = new BoundSocketFactory("127.0.0.4").createSocket("127.0.0.1", node.node(1).port())) {
            s.getOutputStream().write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
    }

    private static String[] withTrust(String key, String value, String... more) {
        String[] flags = new String[4 + more.length];
        flags[0] = "--trusted-proxies";
        flags[1] = "127.0.0.1";
        flags[2] = key;
        flags[3] = value;
        System.arraycopy(more, 0, flags, 4, more.length);
        return flags;
    }

    @Test
    void behindNginxEachClientAddressHasItsOwnConnectionLimit(@TempDir Path dir) throws Exception {
        connectionLimited();
        proxy = NginxProcess.start(dir, List.of(node.node(1).port()));
        eachClientAddressHasItsOwnConnectionLimit("polling", "websocket");
    }

    @Test
    void behindNginxEachClientAddressHasItsOwnHandshakeRate(@TempDir Path dir) throws Exception {
        // One token, refilled after 100 s: a second handshake from one address is refused (503).
        node = SockeyeCluster.start(1, withTrust("--handshakes-per-second-per-ip", "0.01"));
        warmUp();
        proxy = NginxProcess.start(dir, List.of(node.node(1).port()));
        connected(A, proxy.url(), Map.of());
        assertThat(refusal(A, proxy.url(), Map.of())).contains("websocket error");
        connected(B, proxy.url(), Map.of());
        assertThat(addresses()).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void behindNginxTheDashboardListsEachConnectionWithItsClientsAddress(@TempDir Path dir) throws Exception {
        node = SockeyeCluster.start(1, withTrust("--admin-password", DASHBOARD_PASSWORD));
        warmUp();
        proxy = NginxProcess.start(dir, List.of(node.node(1).port()));
        connected(A, proxy.url(), Map.of());
        connected(B, proxy.url(), SPOOFED);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=" + DASHBOARD_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/admin/api/users"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(users.statusCode()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        new ObjectMapper().readTree(users.body()).get("users").forEach(user ->
                user.get("connections").forEach(connection -> listed.add(connection.get("address").asText())));
        assertThat(listed).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void behindHaproxyWithForwardForEachClientAddressHasItsOwnConnectionLimit(@TempDir Path dir) throws Exception {
        connectionLimited("--sticky-cookie");
        proxy = HaproxyProcess.start(dir, List.of(node.node(1).port()));
        eachClientAddressHasItsOwnConnectionLimit("polling", "websocket");
    }

    @Test
    void behindHaproxyWithTheProxyProtocolEachClientAddressHasItsOwnConnectionLimit(@TempDir Path dir) throws Exception {
        connectionLimited("--proxy-protocol");
        HaproxyProcess haproxy = HaproxyProcess.start(dir, HaproxyProcess.PROXY_PROTOCOL, List.of(node.node(1).port()));
        proxy = haproxy;
        // The health check reaches /healthz through the PROXY protocol (a LOCAL header) and passes. (A
        // cold node's first answer may take longer than the check's 2 s: then it is down until two pass.)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(haproxy.process().lines()).as("HAProxy log").anySatisfy(line -> assertThat(line)
                        .containsPattern("Health check for server sockeye/node1 succeeded.*status: \\d+/\\d+ UP"
                                + "|Server sockeye/node1 is UP")));
        eachClientAddressHasItsOwnConnectionLimit("polling", "websocket");
    }

    @Test
    void aClientConnectingDirectlyCountsAsItselfWhateverItsHeadersSay() throws Exception {
        String url = connectionLimited();
        connected(A, url, SPOOFED, "polling");
        assertThat(refusal(A, url, Map.of("X-Forwarded-For", List.of("198.51.100.4")), "polling")).contains("rate_limited");
        assertThat(refusal(A, url, Map.of("Forwarded", List.of("for=198.51.100.5")))).contains("rate_limited");
        assertThat(addresses()).containsExactly(A);
        assertThat(peers()).containsExactly(A);
        // The headers did arrive; they were not believed.
        assertThat(node.node(1).io().sockets().sockets()).singleElement().satisfies(s ->
                assertThat(s.handshake().headers()).containsEntry("x-forwarded-for", "198.51.100.1"));
    }

    /**
     * Through the proxy at {@link ProxyProcess#url()}, with {@code --max-connections-per-ip 1}: A's
     * second connection is refused and B's first is not, a spoofing client of B still counts as B, and
     * the node sees both addresses with the proxy as their peer.
     */
    private void eachClientAddressHasItsOwnConnectionLimit(String... transports) throws Exception {
        String url = proxy.url();
        connected(A, url, Map.of(), transports);
        assertThat(refusal(A, url, Map.of(), transports)).contains("rate_limited");
        connected(B, url, Map.of(), transports);
        // The proxy appends (or, in TCP mode, ignores) what the client claims: B is still B.
        assertThat(refusal(B, url, SPOOFED, transports)).contains("rate_limited");
        assertThat(addresses()).containsExactlyInAnyOrder(A, B);
        assertThat(peers()).containsOnly("127.0.0.1");
    }

    private Socket connected(String from, String url, Map<String, List<String>> headers, String... transports)
            throws Exception {
        return node.attemptFrom(from, url, "user-" + from, headers, transports).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private String refusal(String from, String url, Map<String, List<String>> headers, String... transports) {
        CompletableFuture<Socket> attempt = node.attemptFrom(from, url, "other-" + from, headers, transports);
        assertThatThrownBy(() -> attempt.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("a refused connection from %s", from)
                .isInstanceOf(ExecutionException.class);
        return attempt.handle((socket, error) -> error.getCause() == null ? error.getMessage() : error.getCause().getMessage()).join();
    }

    /** {@code handshake.address} of every socket on the node. */
    private List<String> addresses() {
        return node.node(1).io().sockets().sockets().stream().map(s -> s.handshake().address()).toList();
    }

    /** The direct peer of every socket on the node. */
    private List<String> peers() {
        return node.node(1).io().sockets().sockets().stream().map(s -> s.request().peerAddress()).toList();
    }
}
