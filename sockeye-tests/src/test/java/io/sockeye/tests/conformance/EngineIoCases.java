package io.sockeye.tests.conformance;

import io.sockeye.tests.conformance.SuiteWebSocket.Closed;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Engine.IO cases that both official suites run — handshake, heartbeat, close and upgrade — against
 * one endpoint ({@code /engine.io/} in the engine.io-protocol suite, {@code /socket.io/} in the
 * socket.io-protocol suite). Each method is one {@code it(...)} of {@code test-suite.js}, with its
 * requests and its assertions; where the JavaScript leans on timing, the comment says what replaces it.
 *
 * <p>The suites' hard-coded expectations: ping every 300 ms, 200 ms to answer, {@code maxPayload} 1000000.
 */
final class EngineIoCases {

    static final int PING_INTERVAL = 300;
    static final int PING_TIMEOUT = 200;
    static final int MAX_PAYLOAD = 1_000_000;

    /**
     * Gap between two requests that must reach the server in order while both are in flight. The suite
     * uses 5 ms; the first request stays parked until the first ping (300 ms), so a wider gap keeps the
     * order certain on a busy machine without changing what is tested.
     */
    static final long ORDERING_GAP_MS = 50;

    final SuiteHttp http;

    EngineIoCases(SuiteHttp http) {
        this.http = http;
    }

    /**
     * Loads the JDK HTTP and WebSocket client code before the first case: the cases run against a 500 ms
     * heartbeat budget, and a cold JVM can spend a good part of it on class loading.
     */
    void warmUp() {
        http.openSession();
        try (SuiteWebSocket ws = SuiteWebSocket.open(http.webSocketUrl("EIO=4&transport=websocket"))) {
            ws.nextText();
        }
    }

    SuiteWebSocket webSocket(String query) {
        return SuiteWebSocket.open(http.webSocketUrl(query));
    }

    /** The open packet: {@code 0} then exactly these keys, with the suites' heartbeat and payload numbers. */
    static void assertOpenPacket(String content, List<String> upgrades) {
        assertThat(content).startsWith("0");
        Map<String, Object> value = SuiteHttp.parseObject(content.substring(1));
        assertThat(value).containsOnlyKeys("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");
        assertThat(value.get("sid")).isInstanceOf(String.class);
        assertThat(value.get("upgrades")).isEqualTo(upgrades);
        assertThat(value.get("pingInterval")).isEqualTo(PING_INTERVAL);
        assertThat(value.get("pingTimeout")).isEqualTo(PING_TIMEOUT);
        assertThat(value.get("maxPayload")).isEqualTo(MAX_PAYLOAD);
    }

    // ---- handshake / HTTP long-polling ----

    void opensPollingSession() {
        HttpResponse<String> response = http.get("EIO=4&transport=polling");
        assertThat(response.statusCode()).isEqualTo(200);
        assertOpenPacket(response.body(), List.of("websocket"));
    }

    void rejectsInvalidEioOverPolling() {
        assertThat(http.get("transport=polling").statusCode()).isEqualTo(400);
        assertThat(http.get("EIO=abc&transport=polling").statusCode()).isEqualTo(400);
    }

    void rejectsInvalidTransportOverPolling() {
        assertThat(http.get("EIO=4").statusCode()).isEqualTo(400);
        assertThat(http.get("EIO=4&transport=abc").statusCode()).isEqualTo(400);
    }

    void rejectsInvalidHandshakeMethod() {
        assertThat(http.send("POST", "EIO=4&transport=polling").statusCode()).isEqualTo(400);
        assertThat(http.send("PUT", "EIO=4&transport=polling").statusCode()).isEqualTo(400);
    }

    // ---- handshake / WebSocket ----

    void opensWebSocketSession() {
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket")) {
            assertOpenPacket(ws.nextText(), List.of());
        }
    }

    /**
     * The suite opens these sockets without awaiting their {@code close} event, so it passes whatever the
     * server does. Here the server must really refuse: the first thing that happens is the end of the
     * connection (a refused handshake, or a close), never an open packet.
     */
    void rejectsInvalidEioOverWebSocket() {
        assertRefused("transport=websocket");
        assertRefused("EIO=abc&transport=websocket");
    }

    void rejectsInvalidTransportOverWebSocket() {
        assertRefused("EIO=4");
        assertRefused("EIO=4&transport=abc");
    }

    private void assertRefused(String query) {
        try (SuiteWebSocket ws = webSocket(query)) {
            assertThat(ws.next()).as("first event on ?%s", query).isInstanceOf(Closed.class);
        }
    }

    // ---- heartbeat ----

    void exchangesPingPongOverPolling() {
        String sid = http.openSession();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> poll = http.poll(sid);
            assertThat(poll.statusCode()).isEqualTo(200);
            assertThat(poll.body()).isEqualTo("2");
            assertThat(http.push(sid, "3").statusCode()).isEqualTo(200);
        }
    }

    /**
     * The suite opens a session, sleeps pingInterval + pingTimeout without polling, then expects 400.
     * Without sleeping: an idle session is opened first and never polled; a second one is polled once
     * (it must be alive and get the ping {@code 2}, so nothing closed it early), then polled until it
     * answers 400. By then the idle session, which is older, has been silent for at least as long, so it
     * must already be gone: the server runs the heartbeat from the handshake on, with no request parked.
     */
    void closesPollingSessionUponPingTimeout() {
        String idle = http.openSession();
        String polled = http.openSession();

        HttpResponse<String> first = http.poll(polled);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("2");

        // No pong: the pending poll is released when the session dies, then the sid is unknown.
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> statusOrMinusOne(polled) == 400);

        assertThat(http.poll(idle).statusCode()).as("GET on the never-polled session").isEqualTo(400);
    }

    private int statusOrMinusOne(String sid) {
        try {
            return http.poll(sid).statusCode();
        } catch (UncheckedIOException e) {
            return -1; // the server may drop the parked request when it closes the session
        }
    }

    void exchangesPingPongOverWebSocket() {
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket")) {
            ws.nextText(); // handshake
            for (int i = 0; i < 3; i++) {
                assertThat(ws.nextText()).isEqualTo("2");
                ws.send("3");
            }
        }
    }

    /** The suite waits for {@code close}; here the open packet and the unanswered ping come first. */
    void closesWebSocketSessionUponPingTimeout() {
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket")) {
            assertThat(ws.nextText()).startsWith("0");
            assertThat(ws.nextText()).as("the ping the client leaves unanswered").isEqualTo("2");
            ws.awaitClosed();
        }
    }

    // ---- close ----

    void forcefullyClosesPollingSession() {
        String sid = http.openSession();
        CompletableFuture<HttpResponse<String>> poll = http.pollAsync(sid, "");
        CompletableFuture<HttpResponse<String>> close = afterOrderingGap(() -> http.pushAsync(sid, "1"));

        HttpResponse<String> pollResponse = poll.join();
        close.join();
        assertThat(pollResponse.statusCode()).isEqualTo(200);
        assertThat(pollResponse.body()).isEqualTo("6");
        assertThat(http.poll(sid).statusCode()).isEqualTo(400);
    }

    void forcefullyClosesWebSocketSession() {
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket")) {
            ws.nextText(); // handshake
            ws.send("1");
            // The Node server ignores this packet and passes by ping timeout; answering pings here makes the
            // close packet itself end the session.
            ws.awaitClosedWhileAnsweringPings();
        }
    }

    // ---- upgrade ----

    /**
     * @param echo whether the endpoint echoes (engine.io-protocol suite): then the suite also checks that
     *             a poll during the upgrade gets a noop and that messages flow over the WebSocket after it
     */
    void upgradesFromPollingToWebSocket(boolean echo) {
        String sid = http.openSession();
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket&sid=" + sid)) {
            assertThat(ws.opened()).as("WebSocket open").isTrue();
            ws.send("2probe");
            assertThat(ws.nextText()).isEqualTo("3probe");
            if (echo) {
                HttpResponse<String> poll = http.poll(sid);
                assertThat(poll.statusCode()).isEqualTo(200);
                assertThat(poll.body()).as("noop that ends the long-polling request").isEqualTo("6");
            }
            ws.send("5");
            if (echo) {
                ws.send("4hello");
                assertThat(ws.nextTextIgnoringPings()).isEqualTo("4hello");
            }
        }
    }

    /**
     * Like the suite, sends {@code 2probe} and {@code 5} back to back; then also waits for {@code 3probe}
     * before polling: by the time the server has answered the probe, the {@code 5} written right after it
     * is already in its receive buffer, so the poll (on another connection) does not overtake the upgrade.
     */
    void ignoresPollingAfterUpgrade(boolean echo) {
        String sid = http.openSession();
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket&sid=" + sid)) {
            assertThat(ws.opened()).as("WebSocket open").isTrue();
            ws.send("2probe");
            ws.send("5");
            assertThat(ws.nextText()).isEqualTo("3probe");

            assertThat(http.poll(sid).statusCode()).isEqualTo(400);

            if (echo) {
                ws.send("4hello");
                assertThat(ws.nextTextIgnoringPings()).isEqualTo("4hello");
            }
        }
    }

    void ignoresSecondWebSocketAfterUpgrade(boolean echo) {
        String sid = http.openSession();
        try (SuiteWebSocket ws = webSocket("EIO=4&transport=websocket&sid=" + sid)) {
            assertThat(ws.opened()).as("WebSocket open").isTrue();
            ws.send("2probe");
            ws.send("5");
            assertThat(ws.nextText()).isEqualTo("3probe");

            try (SuiteWebSocket second = webSocket("EIO=4&transport=websocket&sid=" + sid)) {
                second.awaitClosedWhileAnsweringPings();
            }

            if (echo) {
                ws.send("4hello");
                assertThat(ws.nextTextIgnoringPings()).isEqualTo("4hello");
            }
        }
    }

    /** Starts {@code request} {@link #ORDERING_GAP_MS} from now, so it reaches the server after one already sent. */
    static <T> CompletableFuture<T> afterOrderingGap(Supplier<CompletableFuture<T>> request) {
        return CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(ORDERING_GAP_MS, TimeUnit.MILLISECONDS))
                .thenCompose(x -> request.get());
    }
}
