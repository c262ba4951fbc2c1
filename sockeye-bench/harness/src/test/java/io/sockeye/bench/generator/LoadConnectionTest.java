package io.sockeye.bench.generator;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.sockeye.bench.generator.ConnectSpec.Mode;
import io.sockeye.bench.generator.ConnectSpec.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client side of the handshake and of acks, driven frame by frame on an EmbeddedChannel. */
class LoadConnectionTest {

    private final Generator generator = new Generator(0, 1);
    private final List<String> outcomes = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        generator.close();
    }

    private EmbeddedChannel channel(Mode mode, Role role, String room) {
        ConnectSpec spec = new ConnectSpec("127.0.0.1", List.of(1), "/socket.io/", mode, role, 1, 1, room, 1000);
        LoadConnection c = new LoadConnection(generator, spec, (conn, failure) -> outcomes.add(failure == null ? "ready" : failure));
        EmbeddedChannel ch = new EmbeddedChannel(c);
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        return ch;
    }

    private static void receive(EmbeddedChannel ch, String text) {
        ch.writeInbound(new TextWebSocketFrame(text));
    }

    private static String sent(EmbeddedChannel ch) {
        TextWebSocketFrame f = ch.readOutbound();
        if (f == null) {
            return null;
        }
        try {
            return f.text();
        } finally {
            f.release();
        }
    }

    private static final String OPEN = "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";

    @Test
    void connectsToTheMainNamespaceAfterTheOpenPacket() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.IDLE, null);
        assertThat(sent(ch)).isNull();
        receive(ch, OPEN);
        assertThat(sent(ch)).isEqualTo("40");
        receive(ch, "40{\"sid\":\"x\"}");
        assertThat(outcomes).containsExactly("ready");
        ch.finishAndReleaseAll();
    }

    @Test
    void joinsTheRoomWithAckIdZeroAndIsReadyOnItsAck() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.SUBSCRIBER, "room");
        receive(ch, OPEN);
        sent(ch);
        receive(ch, "40{\"sid\":\"x\"}");
        assertThat(sent(ch)).isEqualTo("420[\"join\",\"room\"]");
        assertThat(outcomes).isEmpty();
        receive(ch, "430[]");
        assertThat(outcomes).containsExactly("ready");
        ch.finishAndReleaseAll();
    }

    @Test
    void answersPingsWithPongs() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.IDLE, null);
        receive(ch, OPEN);
        sent(ch);
        receive(ch, "2");
        assertThat(sent(ch)).isEqualTo("3");
        ch.finishAndReleaseAll();
    }

    @Test
    void recordsEachDeliveredMessage() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.SUBSCRIBER, null);
        receive(ch, OPEN);
        receive(ch, "40{\"sid\":\"x\"}");
        receive(ch, "42[\"msg\",{\"room\":\"r\",\"t\":" + EpochClock.nanos() + ",\"p\":\"x\"}]");
        receive(ch, "42[\"msg\",{\"room\":\"r\",\"t\":" + EpochClock.nanos() + ",\"p\":\"x\"}]");
        assertThat(generator.deliveredCount()).isEqualTo(2);
        assertThat(generator.snapshot().latencyUs().getTotalCount()).isEqualTo(2);
        ch.finishAndReleaseAll();
    }

    @Test
    void recordsTheFirstAndTheLastRecipientOfEachMessage() {
        EmbeddedChannel a = channel(Mode.SOCKET_IO, Role.SUBSCRIBER, null);
        EmbeddedChannel b = channel(Mode.SOCKET_IO, Role.SUBSCRIBER, null);
        EmbeddedChannel c = channel(Mode.SOCKET_IO, Role.SUBSCRIBER, null);
        for (EmbeddedChannel ch : List.of(a, b, c)) {
            receive(ch, OPEN);
            receive(ch, "40{\"sid\":\"x\"}");
        }
        generator.recipientsPerMessage(3);
        long m1 = EpochClock.nanos() - 5_000_000; // sent 5 ms ago
        long m2 = EpochClock.nanos() - 50_000_000; // sent 50 ms ago
        String msg1 = "42[\"msg\",{\"room\":\"r\",\"t\":" + m1 + ",\"p\":\"x\"}]";
        String msg2 = "42[\"msg\",{\"room\":\"r\",\"t\":" + m2 + ",\"p\":\"x\"}]";
        receive(a, msg1);
        receive(a, msg2);
        receive(b, msg1);
        receive(c, msg1); // message 1 complete; message 2 reaches only one of three
        receive(b, msg2);
        Generator.Snapshot s = generator.snapshot();
        assertThat(s.latencyUs().getTotalCount()).isEqualTo(5);
        assertThat(s.firstUs().getTotalCount()).isEqualTo(2);
        assertThat(s.firstUs().getMinValue()).isBetween(5_000L, 49_000L);
        assertThat(s.firstUs().getMaxValue()).isGreaterThanOrEqualTo(49_000L);
        assertThat(s.lastUs().getTotalCount()).isEqualTo(1); // message 2 has no last recipient yet
        assertThat(s.lastUs().getMaxValue()).isBetween(5_000L, 49_000L);
        // A late recipient of message 2 after the snapshot does not count as a last one either.
        receive(c, msg2);
        assertThat(generator.snapshot().lastUs().getTotalCount()).isZero();
        for (EmbeddedChannel ch : List.of(a, b, c)) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void echoRequestsTakeIncreasingAckIdsAndAMismatchedAckIsAProtocolError() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.ECHO, null);
        receive(ch, OPEN);
        receive(ch, "40{\"sid\":\"x\"}");
        LoadConnection c = ch.pipeline().get(LoadConnection.class);
        Payloads payloads = new Payloads("echo", 64);
        drain(ch);
        c.sendEcho(payloads);
        assertThat(sent(ch)).startsWith("420[\"echo\",{");
        receive(ch, "437[{}]");
        assertThat(generator.protocolErrors()).isEqualTo(1);
        assertThat(c.echoOutstanding()).isTrue();
        receive(ch, "430[{}]");
        assertThat(c.echoOutstanding()).isFalse();
        c.sendEcho(payloads);
        assertThat(sent(ch)).startsWith("421[\"echo\",");
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectErrorFailsTheConnection() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.IDLE, null);
        receive(ch, OPEN);
        receive(ch, "44{\"message\":\"not authorized\"}");
        assertThat(outcomes).containsExactly("connect_error");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void theServerClosingBeforeReadyIsAFailureReportedOnce() {
        EmbeddedChannel ch = channel(Mode.SOCKET_IO, Role.IDLE, null);
        ch.close();
        ch.close();
        assertThat(outcomes).containsExactly("closed before ready");
        ch.finishAndReleaseAll();
    }

    @Test
    void rawModeJoinsWithATextCommandAndPublishesToTheRoom() {
        EmbeddedChannel ch = channel(Mode.RAW, Role.SUBSCRIBER, "room");
        assertThat(sent(ch)).isEqualTo("Jroom");
        receive(ch, "ok");
        assertThat(outcomes).containsExactly("ready");
        receive(ch, "{\"room\":\"room\",\"t\":" + EpochClock.nanos() + ",\"p\":\"\"}");
        assertThat(generator.deliveredCount()).isEqualTo(1);
        ch.finishAndReleaseAll();

        EmbeddedChannel pub = channel(Mode.RAW, Role.PUBLISHER, "room");
        assertThat(outcomes).containsExactly("ready", "ready"); // a publisher does not join
        pub.pipeline().get(LoadConnection.class).writePublish(new Payloads("room", 1), 1);
        pub.flush();
        assertThat(sent(pub)).isEqualTo("Proom\n{\"room\":\"room\",\"t\":1,\"p\":\"\"}");
        pub.finishAndReleaseAll();
    }

    private static void drain(EmbeddedChannel ch) {
        while (sent(ch) != null) {
            // discard
        }
    }
}
