package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** CONNECT handling and the connection rules (docs/protocol-notes.md, "Socket.IO packets and connection rules"). */
class ConnectTest {

    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void connectsToMainNamespaceWithExactlyOneSidKey() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        session.receive("0");
        assertThat(session.nextText()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        assertThat(session.nextText()).isEqualTo("2[\"auth\",{}]");
    }

    @Test
    void connectsToMainNamespaceWithAuthPayload() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        session.receive("0{\"token\":\"123\"}");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        assertThat(session.nextText()).isEqualTo("2[\"auth\",{\"token\":\"123\"}]");
    }

    @Test
    void connectsToCustomNamespaceWithAndWithoutTrailingComma() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        session.receive("0/custom,");
        assertThat(session.nextText()).matches("0/custom,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
        assertThat(session.nextText()).isEqualTo("2/custom,[\"auth\",{}]");

        InMemoryEngineSocket other = harness.open();
        other.receive("0/custom,{\"token\":\"abc\"}");
        assertThat(other.nextText()).startsWith("0/custom,{\"sid\":");
        assertThat(other.nextText()).isEqualTo("2/custom,[\"auth\",{\"token\":\"abc\"}]");

        InMemoryEngineSocket lenient = harness.open();
        lenient.receive("0/custom"); // "40/custom == 40/custom,"
        assertThat(lenient.nextText()).startsWith("0/custom,{\"sid\":");
    }

    @Test
    void refusesUnknownNamespaceAndKeepsConnectionOpen() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        session.receive("0/random");
        assertThat(session.nextText()).isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
        session.receive("0");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        assertThat(session.closed()).isFalse();
    }

    @Test
    void aNamespaceNameOverTheLimitIsRefusedBeforeAnyLookupAndAnsweredCutShort() {
        harness = new SocketIoHarness().withReferenceHandlers();
        AtomicBoolean predicateAsked = new AtomicBoolean();
        harness.io.of((name, auth) -> {
            predicateAsked.set(true);
            return false;
        });
        InMemoryEngineSocket session = harness.open();
        String name = "/" + "a".repeat(900_000);
        session.receive("0" + name + ",");
        assertThat(session.nextText())
                .isEqualTo("4" + name.substring(0, 256) + "\u2026,{\"message\":\"Invalid namespace\"}");
        assertThat(predicateAsked).isFalse();
        assertThat(session.closed()).isFalse();
    }

    @Test
    void aNamespaceNameAtTheLimitIsRefusedWithItsWholeName() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        String name = "/" + "b".repeat(255);
        session.receive("0" + name);
        assertThat(session.nextText()).isEqualTo("4" + name + ",{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void socketIdIsFreshAndNotTheEngineSid() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket a = harness.open();
        InMemoryEngineSocket b = harness.open();
        String idA = SocketIoHarness.connect(a, "/");
        String idB = SocketIoHarness.connect(b, "/");
        assertThat(idA).hasSize(20).isNotEqualTo(idB).isNotEqualTo(a.id());
        assertThat(harness.io.sockets().socket(idA)).isNotNull();
    }

    @Test
    void middlewareRejectionSendsConnectErrorWithData() {
        harness = new SocketIoHarness();
        harness.io.use((socket, next) -> next.reject(new ConnectError("not authorized", Map.of("reason", "x"))));
        InMemoryEngineSocket session = harness.open();
        session.receive("0");
        assertThat(session.nextText()).isEqualTo("4{\"message\":\"not authorized\",\"data\":{\"reason\":\"x\"}}");
        assertThat(harness.io.sockets().sockets()).isEmpty();
    }

    @Test
    void middlewareExceptionSendsMessageOnly() {
        harness = new SocketIoHarness();
        harness.io.of("/chat").use((socket, next) -> {
            throw new IllegalStateException("boom");
        });
        InMemoryEngineSocket session = harness.open();
        session.receive("0/chat,");
        assertThat(session.nextText()).isEqualTo("4/chat,{\"message\":\"boom\"}");
    }

    @Test
    void middlewaresRunInOrderAndMayProceedLaterFromAnotherThread() {
        harness = new SocketIoHarness();
        harness.io.use((socket, next) -> {
            socket.data().put("first", true);
            next.proceed();
        });
        harness.io.use((socket, next) -> CompletableFuture.runAsync(() -> {
            socket.data().put("second", socket.data().containsKey("first"));
            next.proceed();
        }, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS, ForkJoinPool.commonPool())));
        CompletableFuture<Map<String, Object>> seen = new CompletableFuture<>();
        harness.io.on("connection", socket -> seen.complete(Map.copyOf(socket.data())));
        InMemoryEngineSocket session = harness.open();
        session.receive("0");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        assertThat(seen.join()).containsEntry("first", true).containsEntry("second", true);
    }

    @Test
    void handshakeDescribesTheRequest() {
        harness = new SocketIoHarness();
        CompletableFuture<Handshake> seen = new CompletableFuture<>();
        harness.io.on("connection", socket -> seen.complete(socket.handshake()));
        InMemoryEngineSocket session = harness.open();
        session.receive("0{\"token\":\"t\",\"n\":null}");
        Handshake h = seen.join();
        assertThat(h.address()).isEqualTo("127.0.0.1");
        assertThat(h.xdomain()).isTrue();
        assertThat(h.secure()).isFalse();
        assertThat(h.url()).isEqualTo("/socket.io/?EIO=4&transport=websocket");
        assertThat(h.query()).containsEntry("EIO", "4");
        assertThat(h.headers()).containsEntry("host", "localhost:3000");
        assertThat(h.auth()).containsEntry("token", "t").containsEntry("n", null);
        assertThat(h.issued()).isPositive();
        assertThat(h.time()).matches("\\w{3} \\w{3} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4} \\(.+\\)");
    }

    @Test
    void closesConnectionOnInvalidPacketFormat() {
        harness = new SocketIoHarness();
        for (String bad : new String[]{"abc", "2{}", "2abc[\"message-with-ack\",1]"}) {
            InMemoryEngineSocket session = harness.open();
            if (!bad.equals("abc")) {
                SocketIoHarness.connect(session, "/");
            }
            session.receive(bad);
            assertThat(session.awaitClosed()).as(bad).isEqualTo(DisconnectReason.PARSE_ERROR);
        }
    }

    @Test
    void closesConnectionWhenFirstPacketIsNotConnect() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = harness.open();
        session.receive("2[\"message\",1]");
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
    }

    @Test
    void closesConnectionOnEventForUnjoinedNamespace() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2/other,[\"message\",1]");
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
    }

    @Test
    void closesConnectionOnSecondConnectForJoinedNamespace() {
        harness = new SocketIoHarness();
        CompletableFuture<String> reason = new CompletableFuture<>();
        harness.io.on("connection", socket -> socket.onDisconnect(reason::complete));
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("0");
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
        assertThat(reason.join()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
    }

    @Test
    void closesConnectionThatJoinsNoNamespaceWithinConnectTimeout() {
        harness = new SocketIoHarness(b -> b.connectTimeout(Duration.ofMillis(50)));
        InMemoryEngineSocket idle = harness.open();
        assertThat(idle.awaitClosed()).isEqualTo(DisconnectReason.FORCED_CLOSE);
    }

    @Test
    void connectTimeoutSparesConnectionThatJoined() {
        harness = new SocketIoHarness(b -> b.connectTimeout(Duration.ofMillis(50)));
        InMemoryEngineSocket idle = harness.open();
        InMemoryEngineSocket joined = harness.connect("/");
        assertThat(idle.awaitClosed()).isEqualTo(DisconnectReason.FORCED_CLOSE);
        joined.settle();
        assertThat(joined.closed()).isFalse();
    }

    @Test
    void leavingTheLastNamespaceKeepsTheConnectionOpen() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.open();
        session.receive("0");
        session.nextText();
        session.nextText();
        session.receive("1");
        session.receive("0/custom");
        assertThat(session.nextText()).startsWith("0/custom,{\"sid\":");
        assertThat(session.nextText()).isEqualTo("2/custom,[\"auth\",{}]");
        session.receive("1/custom");
        session.receive("0");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        assertThat(session.nextText()).isEqualTo("2[\"auth\",{}]");
        session.receive("2[\"message\",\"message to main namespace\"]");
        assertThat(session.nextText()).isEqualTo("2[\"message-back\",\"message to main namespace\"]");
        assertThat(session.closed()).isFalse();
    }
}
