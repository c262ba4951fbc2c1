package io.sockeye.client.msgpack;

import io.socket.client.IO;
import io.socket.parser.DecodingException;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client's msgpack parser against packets in the bytes socket.io-msgpack-parser 3.x uses (the
 * Node.js server's bytes below were captured from socket.io 4.8; the same capture runs live in
 * sockeye-tests' MsgpackGoldenBytesTest). Against real servers: sockeye-tests' JavaClientMsgpackTest.
 */
class MsgpackClientParserTest {

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static Packet<Object> decode(String hex) {
        List<Packet<?>> out = new ArrayList<>();
        MsgpackDecoder decoder = new MsgpackDecoder();
        decoder.onDecoded(out::add);
        decoder.add(bytes(hex));
        assertThat(out).hasSize(1);
        @SuppressWarnings("unchecked")
        Packet<Object> packet = (Packet<Object>) out.get(0);
        return packet;
    }

    @Test
    void encodesAnEventAsTheNodeClientOrdersItWithoutItsOptions() throws Exception {
        Packet<JSONArray> packet = new Packet<>(Parser.EVENT, new JSONArray().put("hello").put("you"));
        packet.nsp = "/";
        assertThat(hex(new MsgpackEncoder().encode(packet)))
                .isEqualTo("83a47479706502a46461746192a568656c6c6fa3796f75a36e7370a12f");
    }

    @Test
    void binaryTypesGoOutAsThePlainTypesWithTheBytesInline() throws Exception {
        Packet<JSONArray> event = new Packet<>(Parser.BINARY_EVENT, new JSONArray().put("up").put(new byte[]{1, 2}));
        event.nsp = "/chat";
        event.id = 7;
        assertThat(hex(new MsgpackEncoder().encode(event)))
                .isEqualTo("84a47479706502a46461746192a27570c4020102a2696407a36e7370a52f63686174");
        Packet<JSONArray> ack = new Packet<>(Parser.BINARY_ACK, new JSONArray().put(new byte[]{3}));
        ack.nsp = "/";
        ack.id = 1;
        assertThat(hex(new MsgpackEncoder().encode(ack))).isEqualTo("84a47479706503a2696401a46461746191c40103a36e7370a12f");
    }

    @Test
    void encodesNumbersAsJavaScriptNumbersAndDatesAsNotepackDates() throws Exception {
        JSONObject values = new JSONObject();
        values.put("n", 2.0);
        Packet<JSONArray> packet = new Packet<>(Parser.EVENT, new JSONArray().put("v").put(values).put(1.5)
                .put(JSONObject.NULL).put(new Date(1700000000123L)).put(65536L));
        packet.nsp = "/";
        assertThat(hex(new MsgpackEncoder().encode(packet))).isEqualTo("83a47479706502a46461746196a17681a16e02"
                + "cb3ff8000000000000c0d7000000018bcfe5687bce00010000a36e7370a12f");
    }

    @Test
    void aConnectWithoutAuthHasNoData() {
        Packet<Object> connect = new Packet<>(Parser.CONNECT);
        connect.nsp = "/";
        assertThat(hex(new MsgpackEncoder().encode(connect))).isEqualTo("82a47479706500a36e7370a12f");
    }

    @Test
    void decodesTheConnectReplyOfANodeServerDroppingTheUndefinedPid() throws Exception {
        Packet<Object> packet = decode("83a47479706500a46461746182a3736964b46a4a50685374524268754a414c2d655141414141"
                + "a3706964d40000a36e7370a12f");
        assertThat(packet.type).isEqualTo(Parser.CONNECT);
        assertThat(packet.nsp).isEqualTo("/");
        JSONObject data = (JSONObject) packet.data;
        assertThat(data.getString("sid")).isEqualTo("jJPhStRBhuJAL-eQAAAA");
        assertThat(data.has("pid")).isFalse();
    }

    @Test
    void decodesEventsWithBinaryDatesAndUndefined() throws Exception {
        Packet<Object> binary = decode("83a47479706502a46461746193a362696ec40301020381a466696c65c40107a36e7370a12f");
        JSONArray args = (JSONArray) binary.data;
        assertThat(args.get(1)).isEqualTo(new byte[]{1, 2, 3});
        assertThat(args.getJSONObject(2).get("file")).isEqualTo(new byte[]{7});
        Packet<Object> date = decode("83a47479706502a46461746193a464617465d7000000018bcfe5687bc70300090807a36e7370a12f");
        assertThat(((JSONArray) date.data).get(1)).isEqualTo(new Date(1700000000123L));
        assertThat(((JSONArray) date.data).get(2)).as("an ArrayBuffer").isEqualTo(new byte[]{9, 8, 7});
        Packet<Object> undef = decode("83a47479706502a46461746194a5756e646566d4000082a178d40000a1790191d40000a36e7370a12f");
        JSONArray u = (JSONArray) undef.data;
        assertThat(u.get(1)).isEqualTo(JSONObject.NULL);
        assertThat(u.getJSONObject(2).has("x")).isFalse();
        assertThat(u.getJSONObject(2).getInt("y")).isEqualTo(1);
    }

    @Test
    void decodesAcksWithTheirId() {
        Packet<Object> ack = decode("84a2696405a47479706503a46461746192a6616e737765722aa36e7370a12f");
        assertThat(ack.type).isEqualTo(Parser.ACK);
        assertThat(ack.id).isEqualTo(5);
    }

    @Test
    void refusesTextAndMalformedPackets() {
        MsgpackDecoder decoder = new MsgpackDecoder();
        assertThatThrownBy(() -> decoder.add("0{}")).isInstanceOf(DecodingException.class);
        for (String bad : new String[]{"", "c0", "83a47479706509a36e7370a12fa46461746190", // type 9
                "83a47479706502a36e7370a12fa46461746180", // EVENT with a map
                "83a47479706502a36e7370a12fa464617461dd7fffffff", // 2^31-1 elements announced
                "83a47479706502a36e7370a12fa46461746191d40100", // extension type 1
                "82a47479706501a36e7370a12f00"}) { // trailing byte
            assertThatThrownBy(() -> decoder.add(bytes(bad))).as(bad).isInstanceOf(DecodingException.class);
        }
    }

    @Test
    void useSetsBothHalvesOnTheClientOptions() {
        IO.Options options = MsgpackParser.use(IO.Options.builder().build());
        assertThat(options.encoder).isInstanceOf(MsgpackEncoder.class);
        assertThat(options.decoder).isInstanceOf(MsgpackDecoder.class);
    }
}
