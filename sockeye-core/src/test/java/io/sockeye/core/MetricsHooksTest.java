package io.sockeye.core;

import io.sockeye.core.metrics.RecordingMetrics;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.core.metrics.SockeyeMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Socket.IO layer reports what it does to {@link SockeyeMetrics}: sockets connecting and leaving,
 * packets and events, broadcasts with their fan-out, acks, rejected CONNECTs, dropped volatile packets
 * and the rooms gauge. Driven through the real server with in-memory Engine.IO sessions.
 */
class MetricsHooksTest {

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SocketIoHarness harness = new SocketIoHarness(b -> b.metrics(metrics));
    private final Map<String, Socket> byName = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private void nameSocketsFromAuth() {
        harness.io.on("connection", socket -> byName.put((String) socket.handshake().auth().get("name"), socket));
    }

    private InMemoryEngineSocket client(String name) {
        InMemoryEngineSocket session = harness.open();
        session.receive("0{\"name\":\"" + name + "\"}");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        await().atMost(Duration.ofSeconds(30)).until(() -> byName.containsKey(name));
        return session;
    }

    @Test
    void theDefaultRecordsNothingAndSaysSo() {
        assertThat(ServerOptions.defaults().metrics()).isSameAs(SockeyeMetrics.NOOP);
        assertThat(SockeyeMetrics.NOOP.enabled()).isFalse();
        assertThat(harness.io.options().metrics()).isSameAs(metrics);
    }

    @Test
    void countsSocketsConnectingAndLeavingWithTheirReason() {
        harness.io.of("/custom");
        InMemoryEngineSocket a = harness.connect("/");
        InMemoryEngineSocket b = harness.connect("/custom");
        assertThat(metrics.count("socketConnected", "/")).isEqualTo(1);
        assertThat(metrics.count("socketConnected", "/custom")).isEqualTo(1);

        a.receive("1");
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("socketDisconnected", "/", "client namespace disconnect") == 1);
        b.transportClosed("transport close");
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("socketDisconnected", "/custom", "transport close") == 1);
    }

    @Test
    void countsPacketsByTypeWithTheirSizeAndEventsByName() {
        harness.withReferenceHandlers();
        InMemoryEngineSocket session = harness.connect("/");
        assertThat(session.nextText()).startsWith("2[\"auth\"");

        String event = "2[\"message\",\"hi\"]";
        session.receive(event);
        assertThat(session.nextText()).isEqualTo("2[\"message-back\",\"hi\"]");
        session.receive("51-[\"message\",{\"_placeholder\":true,\"num\":0}]");
        session.receiveBinary(new byte[]{1, 2, 3});
        assertThat(session.nextText()).startsWith("51-[\"message-back\"");
        assertThat(session.nextBinary()).containsExactly(1, 2, 3);

        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("eventReceived", "/", "message") == 2);
        assertThat(metrics.count("packetReceived", "CONNECT")).isEqualTo(1);
        assertThat(metrics.count("packetReceived", "EVENT")).isEqualTo(1);
        assertThat(metrics.sum("packetReceived", "EVENT")).isEqualTo(event.length());
        assertThat(metrics.count("packetReceived", "BINARY_EVENT")).isEqualTo(1);
        assertThat(metrics.sum("packetReceived", "BINARY_EVENT"))
                .as("text plus the attachment").isEqualTo("51-[\"message\",{\"_placeholder\":true,\"num\":0}]".length() + 3);
        // Sent: the CONNECT reply, "auth", and the two echoes.
        assertThat(metrics.count("packetSent", "CONNECT")).isEqualTo(1);
        assertThat(metrics.count("packetSent", "EVENT")).isEqualTo(2);
        assertThat(metrics.count("packetSent", "BINARY_EVENT")).isEqualTo(1);
        assertThat(metrics.sum("packetSent", "EVENT"))
                .isEqualTo("2[\"auth\",{}]".length() + "2[\"message-back\",\"hi\"]".length());
    }

    @Test
    void reportsEachBroadcastOnceWithItsLocalFanOut() {
        nameSocketsFromAuth();
        InMemoryEngineSocket a = client("a");
        InMemoryEngineSocket b = client("b");
        InMemoryEngineSocket c = client("c");
        byName.get("a").join("room");
        byName.get("b").join("room");

        harness.io.emit("all", 1);
        harness.io.to("room").emit("some", 2);
        for (InMemoryEngineSocket s : new InMemoryEngineSocket[]{a, b, c}) {
            assertThat(s.nextText()).isEqualTo("2[\"all\",1]");
        }
        assertThat(a.nextText()).isEqualTo("2[\"some\",2]");
        assertThat(b.nextText()).isEqualTo("2[\"some\",2]");

        assertThat(metrics.count("broadcastStarted", "/")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.fanOuts.size() == 2);
        assertThat(metrics.fanOuts).containsExactlyInAnyOrder(3, 2);
        assertThat(metrics.deliveryNanos).allSatisfy(n -> assertThat(n).isNotNegative());
    }

    @Test
    void measuresAckRoundTripsAndCountsTimeouts() {
        nameSocketsFromAuth();
        InMemoryEngineSocket session = client("a");
        Socket socket = byName.get("a");

        CompletableFuture<Args> answered = socket.timeout(Duration.ofSeconds(30)).emitWithAck("q");
        assertThat(session.nextText()).isEqualTo("20[\"q\"]");
        session.receive("30[\"yes\"]");
        answered.join();
        assertThat(metrics.ackNanos).hasSize(1).allSatisfy(n -> assertThat(n).isNotNegative());

        CompletableFuture<Args> ignored = socket.timeout(Duration.ofMillis(50)).emitWithAck("q");
        assertThat(session.nextText()).isEqualTo("21[\"q\"]");
        assertThat(ignored).failsWithin(Duration.ofSeconds(30));
        // The caller may see the failure before the timeout is counted: wait for the count.
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("ackTimedOut") == 1);
    }

    @Test
    void countsRefusedConnectsByReason() {
        harness.io.of("/private").use((socket, next) -> next.reject(new ConnectError("not authorized")));
        InMemoryEngineSocket session = harness.open();
        session.receive("0/private,");
        assertThat(session.nextText()).startsWith("4/private,{\"message\":\"not authorized\"");
        session.receive("0/nowhere,");
        assertThat(session.nextText()).isEqualTo("4/nowhere,{\"message\":\"Invalid namespace\"}");

        assertThat(metrics.count("connectRejected", "middleware")).isEqualTo(1);
        assertThat(metrics.count("connectRejected", "invalid_namespace")).isEqualTo(1);
        assertThat(metrics.count("socketConnected", "/private")).isZero();
    }

    @Test
    void countsVolatilePacketsDroppedForASlowConnection() {
        nameSocketsFromAuth();
        InMemoryEngineSocket session = client("a");
        session.setWritable(false);
        byName.get("a").asVolatile().emit("tick", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.count("volatileDropped") == 1);
        session.assertNothingSent();
    }

    @Test
    void theRoomsGaugeCountsRoomsUsersMadeButNotEachSocketsOwnRoom() {
        nameSocketsFromAuth();
        client("a");
        client("b");
        byName.get("a").join("lobby", "games");
        byName.get("b").join("lobby");

        assertThat(metrics.gauges).isNotEmpty();
        long rooms = metrics.gauges.stream().map(ServerGauges::rooms)
                .mapToLong(m -> m.getOrDefault("/", 0L)).sum();
        assertThat(rooms).isEqualTo(2);

        harness.close();
        assertThat(metrics.gauges).as("a closed server stops reporting").isEmpty();
    }
}
