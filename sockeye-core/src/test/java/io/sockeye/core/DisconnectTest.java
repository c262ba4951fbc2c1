package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Disconnect reasons exactly as socket.io reports them, and what each leaves behind. */
class DisconnectTest {

    private SocketIoHarness harness;
    private final CompletableFuture<Socket> connected = new CompletableFuture<>();
    private final CompletableFuture<String> reason = new CompletableFuture<>();

    private InMemoryEngineSocket connect() {
        harness.io.on("connection", socket -> {
            socket.onDisconnect(reason::complete);
            connected.complete(socket);
        });
        return harness.connect("/");
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void clientNamespaceDisconnectKeepsTheConnection() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = connect();
        session.receive("1");
        assertThat(reason.join()).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
        assertThat(connected.join().connected()).isFalse();
        session.assertNothingSent();
        assertThat(session.closed()).isFalse();
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> harness.io.sockets().sockets().isEmpty());
    }

    @Test
    void serverNamespaceDisconnectSendsDisconnectPacket() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = connect();
        connected.join().disconnect();
        assertThat(session.nextText()).isEqualTo("1");
        assertThat(reason.join()).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        session.settle();
        assertThat(session.closed()).isFalse();
    }

    @Test
    void disconnectWithCloseLeavesEveryNamespaceThenClosesTheConnection() {
        harness = new SocketIoHarness();
        CompletableFuture<String> chatReason = new CompletableFuture<>();
        harness.io.of("/chat").on("connection", socket -> socket.onDisconnect(chatReason::complete));
        InMemoryEngineSocket session = connect();
        SocketIoHarness.connect(session, "/chat");
        connected.join().disconnect(true);
        assertThat(List.of(session.nextText(), session.nextText())).containsExactlyInAnyOrder("1", "1/chat,");
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_SERVER_CLOSE);
        assertThat(reason.join()).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
        assertThat(chatReason.join()).isEqualTo(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
    }

    @Test
    void engineCloseReasonsReachTheSocket() {
        for (String engineReason : List.of(DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.TRANSPORT_ERROR,
                DisconnectReason.PING_TIMEOUT, DisconnectReason.FORCED_CLOSE)) {
            harness = new SocketIoHarness();
            CompletableFuture<String> seen = new CompletableFuture<>();
            harness.io.on("connection", socket -> socket.onDisconnect(seen::complete));
            InMemoryEngineSocket session = harness.connect("/");
            session.transportClosed(engineReason);
            assertThat(seen.join()).isEqualTo(engineReason);
            harness.close();
        }
        harness = new SocketIoHarness();
    }

    @Test
    void parseErrorReason() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = connect();
        session.receive("2[\"unterminated\"");
        assertThat(reason.join()).isEqualTo(DisconnectReason.PARSE_ERROR);
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.PARSE_ERROR);
    }

    @Test
    void disconnectingListenersStillSeeTheRooms() {
        harness = new SocketIoHarness();
        CompletableFuture<Set<String>> roomsWhileDisconnecting = new CompletableFuture<>();
        CompletableFuture<Set<String>> roomsAfter = new CompletableFuture<>();
        List<String> order = new CopyOnWriteArrayList<>();
        harness.io.on("connection", socket -> {
            socket.join("game");
            socket.onDisconnecting(r -> {
                order.add("disconnecting:" + r);
                roomsWhileDisconnecting.complete(socket.rooms());
            });
            socket.onDisconnect(r -> {
                order.add("disconnect:" + r);
                roomsAfter.complete(socket.rooms());
            });
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.transportClosed(DisconnectReason.TRANSPORT_CLOSE);
        assertThat(roomsWhileDisconnecting.join()).contains("game");
        assertThat(roomsAfter.join()).isEmpty();
        assertThat(order).containsExactly("disconnecting:transport close", "disconnect:transport close");
    }

    @Test
    void disconnectedSocketLeavesItsRoomsAndNamespace() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = connect();
        Socket socket = connected.join();
        socket.join("r");
        session.receive("1");
        reason.join();
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> harness.io.sockets().sockets().isEmpty());
        assertThat(socket.rooms()).isEmpty();
        socket.join("late"); // a no-op once disconnected
        assertThat(socket.rooms()).isEmpty();
        socket.emit("dropped");
        session.assertNothingSent();
    }

    @Test
    void serverCloseDisconnectsWithShuttingDownAndClosesSessions() {
        harness = new SocketIoHarness();
        InMemoryEngineSocket session = connect();
        harness.io.close();
        assertThat(reason.join()).isEqualTo(DisconnectReason.SERVER_SHUTTING_DOWN);
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_CLOSE);
        // new sessions are refused once closed
        InMemoryEngineSocket late = harness.open();
        assertThat(late.awaitClosed()).isEqualTo(DisconnectReason.FORCED_CLOSE);
    }

    @Test
    void closeConnectionClosesWithoutDisconnectPacketsSoClientsReconnect() {
        harness = new SocketIoHarness();
        CompletableFuture<String> chatReason = new CompletableFuture<>();
        harness.io.of("/chat").on("connection", socket -> socket.onDisconnect(chatReason::complete));
        InMemoryEngineSocket session = connect();
        SocketIoHarness.connect(session, "/chat");
        connected.join().closeConnection(DisconnectReason.SERVER_SHUTTING_DOWN);
        assertThat(session.awaitClosed()).isEqualTo(DisconnectReason.FORCED_CLOSE);
        session.assertNothingSent();
        assertThat(reason.join()).isEqualTo(DisconnectReason.SERVER_SHUTTING_DOWN);
        assertThat(chatReason.join()).isEqualTo(DisconnectReason.SERVER_SHUTTING_DOWN);
    }
}
