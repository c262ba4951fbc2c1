package io.sockeye.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import io.sockeye.protocol.socket.SocketPacketEncoder;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exchanges of the official socket.io-protocol suite, played through both
 * codecs exactly as a connection does: WebSocket frames in, Engine.IO decode, Socket.IO decode; the
 * reference server's reply encoded and compared byte for byte with what the suite asserts.
 */
class ProtocolSuiteExamplesTest {

    private static final String P0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String P1 = "{\"_placeholder\":true,\"num\":1}";
    private static final byte[] B010203 = {1, 2, 3};
    private static final byte[] B040506 = {4, 5, 6};

    private final SocketPacketDecoder decoder = new SocketPacketDecoder();
    private final SocketPacketEncoder encoder = new SocketPacketEncoder(new ObjectMapper());

    /** Feeds one WebSocket text frame; returns the completed Socket.IO packet or null. */
    private SocketPacket receiveText(String frame) {
        EnginePacket message = EngineCodec.decodeText(frame);
        assertThat(message.type()).isEqualTo(EnginePacketType.MESSAGE);
        return decoder.decodeText(message.text());
    }

    private SocketPacket receiveBinary(byte[] frame) {
        return decoder.decodeBinary(EngineCodec.decodeBinary(frame).binary());
    }

    /** The frames the server writes for a packet: the text frame, then one binary frame per attachment. */
    private List<Object> send(SocketPacket packet) {
        EncodedPacket encoded = encoder.encode(packet);
        List<Object> frames = new ArrayList<>();
        frames.add("4" + encoded.text()); // the Engine.IO message packet a WebSocket text frame carries
        frames.addAll(encoded.attachments());
        return frames;
    }

    /** What the reference server does with an EVENT on the main namespace. */
    private SocketPacket referenceReply(SocketPacket event) {
        List<Object> args = event.args();
        List<Object> rest = new ArrayList<>(args.subList(1, args.size()));
        if (args.get(0).equals("message-with-ack")) {
            return SocketPacket.ack(event.nsp(), event.id(), rest);
        }
        rest.add(0, "message-back");
        return SocketPacket.event(event.nsp(), rest);
    }

    @Test
    void connectsToTheMainNamespace() {
        SocketPacket connect = receiveText("40");

        assertThat(connect).isEqualTo(SocketPacket.connect("/", null));
        assertThat(send(SocketPacket.connect("/", Map.of("sid", "M5fEoZ5QMnAHVYuAAAAB"))))
                .containsExactly("40{\"sid\":\"M5fEoZ5QMnAHVYuAAAAB\"}");
        assertThat(send(SocketPacket.event("/", List.of("auth", Map.of())))).containsExactly("42[\"auth\",{}]");
    }

    @Test
    void connectsToTheMainNamespaceWithAPayload() {
        SocketPacket connect = receiveText("40{\"token\":\"123\"}");

        assertThat(send(SocketPacket.event("/", List.of("auth", connect.data()))))
                .containsExactly("42[\"auth\",{\"token\":\"123\"}]");
    }

    @Test
    void connectsToACustomNamespace() {
        SocketPacket connect = receiveText("40/custom,");

        assertThat(connect.nsp()).isEqualTo("/custom");
        assertThat(send(SocketPacket.connect("/custom", Map.of("sid", "abc"))))
                .containsExactly("40/custom,{\"sid\":\"abc\"}");
        assertThat(send(SocketPacket.event("/custom", List.of("auth", Map.of()))))
                .containsExactly("42/custom,[\"auth\",{}]");
    }

    @Test
    void connectsToACustomNamespaceWithAPayload() {
        SocketPacket connect = receiveText("40/custom,{\"token\":\"abc\"}");

        assertThat(send(SocketPacket.event(connect.nsp(), List.of("auth", connect.data()))))
                .containsExactly("42/custom,[\"auth\",{\"token\":\"abc\"}]");
    }

    @Test
    void refusesAnUnknownNamespaceNamedWithoutTrailingComma() {
        SocketPacket connect = receiveText("40/random");

        assertThat(connect.nsp()).isEqualTo("/random");
        assertThat(send(SocketPacket.connectError(connect.nsp(), Map.of("message", "Invalid namespace"))))
                .containsExactly("44/random,{\"message\":\"Invalid namespace\"}");
    }

    @Test
    void refusesAMiddlewareRejectionWithMessageAndData() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "not authorized");
        error.put("data", Map.of("reason", "x"));

        assertThat(send(SocketPacket.connectError("/", error)))
                .containsExactly("44{\"message\":\"not authorized\",\"data\":{\"reason\":\"x\"}}");
    }

    @Test
    void rejectsAnInvalidHandshake() {
        assertThatThrownBy(() -> receiveText("4abc")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void disconnectsFromTheMainNamespace() {
        receiveText("40");

        assertThat(receiveText("41")).isEqualTo(SocketPacket.disconnect("/"));
    }

    @Test
    void connectsThenDisconnectsFromACustomNamespace() {
        assertThat(receiveText("40/custom")).isEqualTo(SocketPacket.connect("/custom", null));
        assertThat(receiveText("41/custom")).isEqualTo(SocketPacket.disconnect("/custom"));
        SocketPacket message = receiveText("42[\"message\",\"message to main namespace\"]");

        assertThat(send(referenceReply(message)))
                .containsExactly("42[\"message-back\",\"message to main namespace\"]");
    }

    @Test
    void echoesAPlainTextPacket() {
        SocketPacket message = receiveText("42[\"message\",1,\"2\",{\"3\":[true]}]");

        assertThat(send(referenceReply(message))).containsExactly("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void echoesAPacketWithBinaryAttachments() {
        assertThat(receiveText("452-[\"message\"," + P0 + "," + P1 + "]")).isNull();
        assertThat(receiveBinary(B010203)).isNull();
        SocketPacket message = receiveBinary(B040506);

        assertThat(send(referenceReply(message)))
                .containsExactly("452-[\"message-back\"," + P0 + "," + P1 + "]", B010203, B040506);
    }

    @Test
    void answersAPlainTextPacketWithAnAck() {
        SocketPacket message = receiveText("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

        assertThat(send(referenceReply(message))).containsExactly("43456[1,\"2\",{\"3\":[false]}]");
    }

    @Test
    void answersAPacketWithBinaryAttachmentsWithABinaryAck() {
        assertThat(receiveText("452-789[\"message-with-ack\"," + P0 + "," + P1 + "]")).isNull();
        assertThat(receiveBinary(B010203)).isNull();
        SocketPacket message = receiveBinary(B040506);

        assertThat(message.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(send(referenceReply(message)))
                .containsExactly("462-789[" + P0 + "," + P1 + "]", B010203, B040506);
    }

    @Test
    void binaryAttachmentsArriveAsBase64RecordsOverPolling() {
        List<EnginePacket> body = EngineCodec.decodePayload(
                "452-[\"message\"," + P0 + "," + P1 + "]\u001ebAQID\u001ebBAUG");

        assertThat(decoder.decodeText(body.get(0).text())).isNull();
        assertThat(decoder.decodeBinary(body.get(1).binary())).isNull();
        SocketPacket message = decoder.decodeBinary(body.get(2).binary());

        EncodedPacket reply = encoder.encode(referenceReply(message));
        List<EnginePacket> out = new ArrayList<>();
        out.add(EnginePacket.message(reply.text()));
        reply.attachments().forEach(a -> out.add(EnginePacket.binaryMessage(a)));
        assertThat(EngineCodec.encodePayload(out))
                .isEqualTo("452-[\"message-back\"," + P0 + "," + P1 + "]\u001ebAQID\u001ebBAUG");
    }

    @Test
    void closesUponAnUnknownPacketType() {
        assertThatThrownBy(() -> receiveText("4abc"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown packet type");
    }

    @Test
    void closesUponAnInvalidPayloadFormat() {
        assertThatThrownBy(() -> receiveText("42{}"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid payload");
    }

    @Test
    void closesUponAnInvalidAckId() {
        assertThatThrownBy(() -> receiveText("42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("invalid payload");
    }

    @Test
    void connectionStateRecoveryPacketsHaveTheObservedShape() {
        Map<String, Object> sidAndPid = new LinkedHashMap<>();
        sidAndPid.put("sid", "WoTB");
        sidAndPid.put("pid", "sr3n");

        assertThat(send(SocketPacket.connect("/", sidAndPid))).containsExactly("40{\"sid\":\"WoTB\",\"pid\":\"sr3n\"}");
        assertThat(send(SocketPacket.event("/", List.of("hello", "world", "Q80ynoT"))))
                .containsExactly("42[\"hello\",\"world\",\"Q80ynoT\"]");
        assertThat(send(SocketPacket.event("/", 0, List.of("withack", 2)))).containsExactly("420[\"withack\",2]");
        assertThat(receiveText("40{\"pid\":\"sr3n\",\"offset\":\"Q80ynoT\",\"token\":\"1\"}").data())
                .isEqualTo(Map.of("pid", "sr3n", "offset", "Q80ynoT", "token", "1"));
    }
}
