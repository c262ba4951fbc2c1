package io.sockeye.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Events and acknowledgements in both directions, plain and binary (docs/protocol-notes.md, "Socket.IO packets and connection rules"). */
class EventAndAckTest {

    private static final String PH0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String PH1 = "{\"_placeholder\":true,\"num\":1}";

    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private InMemoryEngineSocket referenceClient() {
        harness = new SocketIoHarness().withReferenceHandlers();
        InMemoryEngineSocket session = harness.connect("/");
        assertThat(session.nextText()).isEqualTo("2[\"auth\",{}]");
        return session;
    }

    private CompletableFuture<Socket> onConnection() {
        CompletableFuture<Socket> socket = new CompletableFuture<>();
        harness.io.on("connection", socket::complete);
        return socket;
    }

    @Test
    void echoesPlainTextEvent() {
        InMemoryEngineSocket session = referenceClient();
        session.receive("2[\"message\",1,\"2\",{\"3\":[true]}]");
        assertThat(session.nextText()).isEqualTo("2[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void echoesBinaryAttachmentsInOrder() {
        InMemoryEngineSocket session = referenceClient();
        session.receive("52-[\"message\"," + PH0 + "," + PH1 + "]");
        session.receiveBinary(new byte[]{1, 2, 3});
        session.receiveBinary(new byte[]{4, 5, 6});
        assertThat(session.nextText()).isEqualTo("52-[\"message-back\"," + PH0 + "," + PH1 + "]");
        assertThat(session.nextBinary()).containsExactly(1, 2, 3);
        assertThat(session.nextBinary()).containsExactly(4, 5, 6);
    }

    @Test
    void answersClientAckWithSameId() {
        InMemoryEngineSocket session = referenceClient();
        session.receive("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
        assertThat(session.nextText()).isEqualTo("3456[1,\"2\",{\"3\":[false]}]");
    }

    @Test
    void answersClientAckWithBinaryAck() {
        InMemoryEngineSocket session = referenceClient();
        session.receive("52-789[\"message-with-ack\"," + PH0 + "," + PH1 + "]");
        session.receiveBinary(new byte[]{1, 2, 3});
        session.receiveBinary(new byte[]{4, 5, 6});
        assertThat(session.nextText()).isEqualTo("62-789[" + PH0 + "," + PH1 + "]");
        assertThat(session.nextBinary()).containsExactly(1, 2, 3);
        assertThat(session.nextBinary()).containsExactly(4, 5, 6);
    }

    @Test
    void ackIsSentOnlyOnceAndOnlyWhenRequested() {
        harness = new SocketIoHarness();
        harness.io.on("connection", socket -> socket.on("q", (args, ack) -> {
            ack.send("first");
            ack.send("second");
            socket.emit("requested", ack.requested());
        }));
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("27[\"q\"]");
        assertThat(session.nextText()).isEqualTo("37[\"first\"]");
        assertThat(session.nextText()).isEqualTo("2[\"requested\",true]");
        session.receive("2[\"q\"]");
        assertThat(session.nextText()).isEqualTo("2[\"requested\",false]");
        session.assertNothingSent();
    }

    @Test
    void emitWithAckUsesNamespaceCounterFromZeroAndCompletesWithReply() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        InMemoryEngineSocket session = harness.connect("/");
        Socket socket = connected.join();

        CompletableFuture<Args> first = socket.emitWithAck("q", 1);
        assertThat(session.nextText()).isEqualTo("20[\"q\",1]");
        CompletableFuture<Args> second = socket.timeout(Duration.ofSeconds(30)).emitWithAck("q", 2);
        assertThat(session.nextText()).isEqualTo("21[\"q\",2]");

        session.receive("31[\"two\"]");
        session.receive("30[\"one\",{\"a\":[1]}]");
        assertThat(second.join().list()).containsExactly("two");
        assertThat(first.join().getString(0)).isEqualTo("one");
        assertThat(first.join().get(1)).isEqualTo(Map.of("a", List.of(1)));
    }

    @Test
    void emitWithAckAcceptsBinaryReply() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        InMemoryEngineSocket session = harness.connect("/");
        CompletableFuture<Args> reply = connected.join().emitWithAck("file", ByteBuffer.wrap(new byte[]{9}));
        assertThat(session.nextText()).isEqualTo("51-0[\"file\"," + PH0 + "]");
        assertThat(session.nextBinary()).containsExactly(9);
        session.receive("61-0[" + PH0 + "]");
        session.receiveBinary(new byte[]{7, 7});
        assertThat(reply.join().getBytes(0)).containsExactly(7, 7);
    }

    @Test
    void emitWithAckTimesOut() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        InMemoryEngineSocket session = harness.connect("/");
        CompletableFuture<Args> reply = connected.join().timeout(Duration.ofMillis(20)).emitWithAck("q");
        assertThat(session.nextText()).isEqualTo("20[\"q\"]");
        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(AckTimeoutException.class);
        session.receive("30[\"late\"]"); // ignored, the connection stays up
        session.settle();
        assertThat(session.closed()).isFalse();
    }

    @Test
    void emitWithAckFailsWhenSocketDisconnects() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        InMemoryEngineSocket session = harness.connect("/");
        CompletableFuture<Args> reply = connected.join().emitWithAck("q");
        session.nextText();
        session.receive("1");
        assertThatThrownBy(reply::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    }

    @Test
    void emitsPojosAndNestedBinary() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        InMemoryEngineSocket session = harness.connect("/");
        connected.join().emit("move", new Move(3, 4), Map.of("blob", new byte[]{1}));
        assertThat(session.nextText()).isEqualTo("51-[\"move\",{\"x\":3,\"y\":4},{\"blob\":" + PH0 + "}]");
        assertThat(session.nextBinary()).containsExactly(1);
    }

    record Move(int x, int y) {
    }

    @Test
    void typedHandlerMapsFirstArgument() {
        harness = new SocketIoHarness();
        CompletableFuture<Move> seen = new CompletableFuture<>();
        CompletableFuture<Move> viaArgs = new CompletableFuture<>();
        harness.io.on("connection", socket -> {
            socket.on("move", Move.class, (move, ack) -> seen.complete(move));
            socket.on("move", (args, ack) -> viaArgs.complete(args.as(0, Move.class)));
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2[\"move\",{\"x\":1,\"y\":2}]");
        assertThat(seen.join()).isEqualTo(new Move(1, 2));
        assertThat(viaArgs.join()).isEqualTo(new Move(1, 2));
    }

    @Test
    void numericEventNamesAreDispatched() {
        harness = new SocketIoHarness();
        CompletableFuture<Args> seen = new CompletableFuture<>();
        harness.io.on("connection", socket -> socket.on("7", (args, ack) -> seen.complete(args)));
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2[7,\"x\"]");
        assertThat(seen.join().list()).containsExactly("x");
    }

    @Test
    void reservedEventNamesCannotBeEmitted() {
        harness = new SocketIoHarness();
        CompletableFuture<Socket> connected = onConnection();
        harness.connect("/");
        Socket socket = connected.join();
        for (String reserved : List.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener")) {
            assertThatThrownBy(() -> socket.emit(reserved)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> harness.io.emit(reserved)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> harness.io.to("r").emit(reserved)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> harness.io.serverSideEmit(reserved)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void handlerExceptionDoesNotKillTheConnection() {
        harness = new SocketIoHarness();
        harness.io.on("connection", socket -> {
            socket.on("boom", (args, ack) -> {
                throw new IllegalStateException("handler bug");
            });
            socket.on("boom", (args, ack) -> socket.emit("second-handler-ran"));
            socket.on("ping", (args, ack) -> ack.send("pong"));
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2[\"boom\"]");
        assertThat(session.nextText()).isEqualTo("2[\"second-handler-ran\"]");
        session.receive("21[\"ping\"]");
        assertThat(session.nextText()).isEqualTo("31[\"pong\"]");
        assertThat(session.closed()).isFalse();
    }

    @Test
    void offRemovesOneHandlerOrEveryHandlerOfAnEvent() {
        harness = new SocketIoHarness();
        harness.io.on("connection", socket -> {
            EventHandler first = (args, ack) -> socket.emit("first");
            EventHandler second = (args, ack) -> socket.emit("second");
            socket.on("a", first);
            socket.on("a", second);
            socket.on("b", first);
            socket.on("c", second);
            socket.off("a", first);     // one handler of "a" goes, the other stays
            socket.off("b", null);      // every handler of "b" goes
            socket.off("missing", first);
            socket.on("done", (args, ack) -> ack.send("done"));
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2[\"a\"]");
        session.receive("2[\"b\"]");
        session.receive("2[\"c\"]");
        session.receive("21[\"done\"]");
        assertThat(session.nextText()).isEqualTo("2[\"second\"]");
        assertThat(session.nextText()).isEqualTo("2[\"second\"]");
        assertThat(session.nextText()).isEqualTo("31[\"done\"]");
    }

    @Test
    void catchAllListenersSeeIncomingAndOutgoingEvents() {
        harness = new SocketIoHarness();
        List<String> seen = new CopyOnWriteArrayList<>();
        AnyEventListener removed = (event, args) -> seen.add("removed:" + event);
        harness.io.on("connection", socket -> {
            socket.onAny((event, args) -> seen.add("in:" + event + args.list()));
            socket.onAny(removed);
            socket.offAny(removed);
            socket.onAnyOutgoing((event, args) -> seen.add("out:" + event + args.list()));
            socket.on("hello", (args, ack) -> socket.emit("world", 2));
            socket.join("room");
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("2[\"hello\",1]");
        assertThat(session.nextText()).isEqualTo("2[\"world\",2]");
        harness.io.to("room").emit("news", "n");
        assertThat(session.nextText()).isEqualTo("2[\"news\",\"n\"]");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("in:hello[1]", "out:world[2]", "out:news[n]");
    }

    @Test
    void packetMiddlewareRejectionGoesToErrorHandlerNotToClient() {
        harness = new SocketIoHarness();
        CompletableFuture<Exception> error = new CompletableFuture<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        harness.io.on("connection", socket -> {
            socket.use((event, args, next) -> {
                if (event.equals("forbidden")) {
                    next.reject(new IllegalArgumentException("not allowed: " + event));
                } else {
                    next.proceed();
                }
            });
            socket.onError(error::complete);
            socket.on("forbidden", (args, ack) -> handled.add("forbidden"));
            socket.on("allowed", (args, ack) -> ack.send("ok"));
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("21[\"forbidden\"]");
        assertThat(error.join()).hasMessage("not allowed: forbidden");
        session.receive("22[\"allowed\"]");
        assertThat(session.nextText()).isEqualTo("32[\"ok\"]");
        assertThat(handled).isEmpty();
    }
}
