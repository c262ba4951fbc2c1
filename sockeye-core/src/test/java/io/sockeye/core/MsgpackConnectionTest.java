package io.sockeye.core;

import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.adapter.InProcessBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parser of a connection: msgpack packets in and out under {@code parser: msgpack}, and under
 * {@code auto} the first message deciding (text → JSON, a binary msgpack map → msgpack) for good; a
 * message of the other kind, or a first binary message that is no msgpack map, closes the connection
 * with {@code parse error}.
 */
class MsgpackConnectionTest {

    private static final MsgpackPacketEncoder ENCODER = new MsgpackPacketEncoder(new ObjectMapper());
    private static final MsgpackPacketDecoder DECODER = new MsgpackPacketDecoder();

    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private SocketIoHarness server(Parser parser) {
        harness = new SocketIoHarness(b -> b.parser(parser)).withReferenceHandlers();
        return harness;
    }

    private static byte[] msgpack(SocketPacket packet) {
        return ENCODER.encode(packet);
    }

    private static SocketPacket next(InMemoryEngineSocket session) {
        return DECODER.decode(session.nextBinary());
    }

    @Test
    void aMsgpackConnectionConnectsEmitsAndAcksInMsgpack() {
        InMemoryEngineSocket session = server(Parser.MSGPACK).open();
        session.receiveBinary(msgpack(SocketPacket.connect("/", Map.of("token", "123"))));
        byte[] reply = session.nextBinary();
        SocketPacket connect = DECODER.decode(reply);
        assertThat(connect.type()).isEqualTo(SocketPacketType.CONNECT);
        assertThat(((Map<?, ?>) connect.data()).get("sid")).isInstanceOf(String.class);
        assertThat(HexFormat.of().formatHex(reply)).as("pid: undefined, as a Node.js server writes it")
                .contains("a3706964d40000");
        assertThat(next(session)).isEqualTo(SocketPacket.event("/", List.of("auth", Map.of("token", "123"))));

        session.receiveBinary(msgpack(SocketPacket.event("/", 7, List.of("message-with-ack", 1, "two", new byte[]{3}))));
        SocketPacket ack = next(session);
        assertThat(ack.type()).isEqualTo(SocketPacketType.ACK);
        assertThat(ack.id()).isEqualTo(7);
        assertThat(ack.args()).hasSize(3);
        assertThat(ack.args().get(2)).isEqualTo(new byte[]{3});
    }

    @Test
    void connectErrorsAreWrittenAsANodeServerWritesThem() {
        InMemoryEngineSocket session = server(Parser.MSGPACK).open();
        session.receiveBinary(msgpack(SocketPacket.connect("/random", null)));
        assertThat(HexFormat.of().formatHex(session.nextBinary())).as("{type, nsp, data}, from the connection")
                .isEqualTo("83a47479706504a36e7370a72f72616e646f6da46461746181a76d657373616765b1496e76616c6964206e616d657370616365");
        assertThat(session.closed()).isFalse();
    }

    @Test
    void aTextMessageOnAMsgpackConnectionIsAParseError() {
        InMemoryEngineSocket session = server(Parser.MSGPACK).open();
        session.receive("0");
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }

    @Test
    void malformedMsgpackIsAParseError() {
        InMemoryEngineSocket session = server(Parser.MSGPACK).open();
        session.receiveBinary(msgpack(SocketPacket.connect("/", null)));
        assertThat(next(session).type()).isEqualTo(SocketPacketType.CONNECT);
        session.receiveBinary(new byte[]{(byte) 0x83, (byte) 0xa4, 't'});
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }

    @Test
    void underAutoAFirstTextMessageMakesAJsonConnectionForGood() {
        InMemoryEngineSocket session = server(Parser.AUTO).open();
        session.receive("0");
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        session.receiveBinary(msgpack(SocketPacket.event("/", List.of("message", 1))));
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }

    @Test
    void underAutoAFirstMsgpackMapMakesAMsgpackConnectionForGood() {
        InMemoryEngineSocket session = server(Parser.AUTO).open();
        session.receiveBinary(msgpack(SocketPacket.connect("/", null)));
        assertThat(next(session).type()).isEqualTo(SocketPacketType.CONNECT);
        session.receive("2[\"message\",1]");
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }

    @Test
    void underAutoAFirstBinaryMessageThatIsNoMsgpackMapIsAParseError() {
        InMemoryEngineSocket session = server(Parser.AUTO).open();
        session.receiveBinary(new byte[]{0x40});
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }

    @Test
    void aBroadcastFromAMsgpackClientReachesAJsonClientOnAnotherNodeAndBack() {
        try (InProcessBus bus = new InProcessBus();
             SocketIoHarness nodeA = chatNode(bus, Parser.MSGPACK);
             SocketIoHarness nodeB = chatNode(bus, Parser.JSON)) {
            InMemoryEngineSocket msgpack = nodeA.open();
            msgpack.receiveBinary(msgpack(SocketPacket.connect("/", null)));
            assertThat(next(msgpack).type()).isEqualTo(SocketPacketType.CONNECT);
            InMemoryEngineSocket json = nodeB.connect("/");
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> nodeA.io.of("/").serverCount().join() == 2);

            Map<String, Object> said = new LinkedHashMap<>();
            said.put("raw", new byte[]{1});
            said.put("n", 1.5);
            msgpack.receiveBinary(msgpack(SocketPacket.event("/", List.of("say", said))));
            assertThat(json.nextText()).isEqualTo("51-[\"said\",{\"raw\":{\"_placeholder\":true,\"num\":0},\"n\":1.5}]");
            assertThat(json.nextBinary()).isEqualTo(new byte[]{1});
            SocketPacket own = next(msgpack);
            assertThat(own.args().get(0)).isEqualTo("said");

            json.receive("2[\"say\",\"from json\"]");
            assertThat(json.nextText()).isEqualTo("2[\"said\",\"from json\"]");
            assertThat(next(msgpack)).isEqualTo(SocketPacket.event("/", List.of("said", "from json")));
        }
    }

    private SocketIoHarness chatNode(InProcessBus bus, Parser parser) {
        SocketIoHarness node = new SocketIoHarness(b -> b.parser(parser).adapterFactory(bus.adapterFactory()));
        node.io.on("connection", socket -> {
            socket.join("room");
            socket.on("say", (args, ack) -> node.io.to("room").emit("said", args.get(0)));
        });
        return node;
    }

    @Test
    void aJsonServerTakesNoBinaryFirstMessage() {
        InMemoryEngineSocket session = server(Parser.JSON).open();
        session.receiveBinary(msgpack(SocketPacket.connect("/", null)));
        assertThat(session.awaitClosed()).isEqualTo("parse error");
    }
}
