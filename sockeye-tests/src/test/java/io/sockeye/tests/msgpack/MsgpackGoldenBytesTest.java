package io.sockeye.tests.msgpack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder.Origin;
import io.sockeye.protocol.msgpack.Undefined;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden bytes: {@code src/test/node/msgpack/golden.mjs} runs a real Node.js socket.io 4.8 server with
 * socket.io-msgpack-parser 3.0 and records, with a real socket.io-client, every packet of a set of cases
 * (CONNECT replies, refusals, events with each kind of value, acks, broadcasts, DISCONNECT) and what the
 * client sends. Sockeye's encoder must write the same bytes for the same packets, and its decoder must
 * read both sides' packets back to the values they stand for. The fuzzing seeds of
 * {@code MsgpackPacketDecoderFuzzTest} are these packets; the last test checks they still are.
 */
class MsgpackGoldenBytesTest {

    static final Path PROJECT = Path.of("src", "test", "node", "msgpack");
    private static final Path SEEDS = Path.of("..", "sockeye-protocol", "src", "test", "resources",
            "io", "sockeye", "protocol", "msgpack", "MsgpackPacketDecoderFuzzTestInputs", "decode");

    private static Map<String, byte[]> server;
    private static Map<String, byte[]> client;

    private final MsgpackPacketEncoder encoder = new MsgpackPacketEncoder(new ObjectMapper());
    private final MsgpackPacketDecoder decoder = new MsgpackPacketDecoder();

    @BeforeAll
    static void capture() throws IOException {
        NodeRunner.ensureInstalled(PROJECT);
        try (ChildProcess node = NodeRunner.script(PROJECT, "golden.mjs").name("node-msgpack-golden").start()) {
            int exit = node.awaitExit(Duration.ofMinutes(2));
            assertThat(exit).as(() -> "golden.mjs failed:\n" + node.tail()).isZero();
            String json = node.lines().stream().filter(l -> l.startsWith("{\"server\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("golden.mjs printed no capture:\n" + node.tail()));
            JsonNode capture = new ObjectMapper().readTree(json);
            server = cases(capture.get("server"));
            client = cases(capture.get("client"));
        }
    }

    private static Map<String, byte[]> cases(JsonNode list) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        list.forEach(c -> out.put(c.get("name").asText(), HexFormat.of().parseHex(c.get("hex").asText())));
        return out;
    }

    /** Asserts that Sockeye writes {@code packet} as the Node.js server wrote the case {@code name}. */
    private void assertSameBytes(String name, SocketPacket packet, Origin origin) {
        assertThat(server).as("captured cases").containsKey(name);
        assertThat(HexFormat.of().formatHex(encoder.encode(packet, origin)))
                .as("Sockeye's bytes for case %s", name)
                .isEqualTo(HexFormat.of().formatHex(server.get(name)));
    }

    private SocketPacket decodeServer(String name) {
        return decoder.decode(server.get(name));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    // ---- Sockeye writes what Node.js writes -------------------------------------------------------

    @Test
    void connectRepliesCarryTheSidAndAnUndefinedPid() {
        for (String[] c : new String[][]{{"connect", "/"}, {"connect-custom-namespace", "/custom"}}) {
            Object sid = ((Map<?, ?>) decodeServer(c[0]).data()).get("sid");
            assertThat(sid).isInstanceOf(String.class);
            assertSameBytes(c[0], SocketPacket.connect(c[1], map("sid", sid, "pid", Undefined.INSTANCE)), Origin.SOCKET);
        }
    }

    @Test
    void connectErrors() {
        assertSameBytes("connect-error-invalid-namespace",
                SocketPacket.connectError("/nope", map("message", "Invalid namespace")), Origin.CONNECTION);
        assertSameBytes("connect-error-middleware", SocketPacket.connectError("/guarded",
                map("message", "not allowed", "data", map("code", 42, "reason", "token expired"))), Origin.SOCKET);
        assertSameBytes("connect-error-middleware-no-data", SocketPacket.connectError("/guarded-no-data",
                map("message", "go away", "data", Undefined.INSTANCE)), Origin.SOCKET);
    }

    @Test
    void eventsWithEveryKindOfValue() {
        assertSameBytes("event-string", SocketPacket.event("/", list("hello", "you")), Origin.SOCKET);
        assertSameBytes("event-integers", SocketPacket.event("/", list("ints", 0, 1, 127, 128, 255, 256, 65535, 65536,
                4294967295L, 4294967296L, 9007199254740991L, -1, -32, -33, -128, -129, -32768, -32769,
                -2147483648, -2147483649L, -9007199254740991L)), Origin.SOCKET);
        assertSameBytes("event-floats", SocketPacket.event("/", list("floats", 1.5, -0.25, 0.1, 2.0, -0.0, 1e-300,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)), Origin.SOCKET);
        assertSameBytes("event-strings", SocketPacket.event("/", list("strings", "", "é€😀", "x".repeat(31),
                "y".repeat(32), "z".repeat(255), "w".repeat(256), "v".repeat(65536))), Origin.SOCKET);
        assertSameBytes("event-nested", SocketPacket.event("/", list("nested",
                map("a", 1, "b", list(true, false, null), "c", map("d", "deep", "e", list(list(), map()))))), Origin.SOCKET);
        Map<String, Object> sixteen = new LinkedHashMap<>();
        List<Object> upTo15 = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.put("k" + i, i);
            upTo15.add(i);
        }
        assertSameBytes("event-big-containers", SocketPacket.event("/", list("big", upTo15, sixteen)), Origin.SOCKET);
        byte[] sevens = new byte[300];
        Arrays.fill(sevens, (byte) 7);
        assertSameBytes("event-binary", SocketPacket.event("/",
                list("bin", new byte[]{1, 2, 3}, map("file", sevens), new byte[0])), Origin.SOCKET);
        assertSameBytes("event-date", SocketPacket.event("/",
                list("date", new Date(1700000000123L), new Date(-1))), Origin.SOCKET);
        assertSameBytes("event-undefined", SocketPacket.event("/", list("undef", Undefined.INSTANCE,
                map("x", Undefined.INSTANCE, "y", 1), list(Undefined.INSTANCE))), Origin.SOCKET);
    }

    @Test
    void acksEventsAskingForAckAndBroadcasts() {
        long askId = decodeServer("event-with-ack").id();
        assertSameBytes("event-with-ack", SocketPacket.event("/", askId, list("question", 1)), Origin.SOCKET);
        long replyId = decodeServer("ack").id();
        assertSameBytes("ack", SocketPacket.ack("/", replyId, list("answer", 42)), Origin.SOCKET);
        assertSameBytes("broadcast", SocketPacket.event("/", list("broadcast", "all")), Origin.BROADCAST);
        long broadcastId = decodeServer("broadcast-with-ack").id();
        assertSameBytes("broadcast-with-ack", SocketPacket.event("/", broadcastId, list("broadcast-ack", 1)),
                Origin.BROADCAST);
        assertSameBytes("disconnect", SocketPacket.disconnect("/"), Origin.SOCKET);
    }

    // ---- Sockeye reads what Node.js writes --------------------------------------------------------

    @Test
    void everyServerPacketDecodesAndReEncodesToTheSameBytesUnlessItHoldsUndefinedOrAnArrayBuffer() {
        List<String> lossy = List.of("connect", "connect-custom-namespace", "connect-error-middleware-no-data",
                "event-undefined", "event-arraybuffer");
        for (Map.Entry<String, byte[]> c : server.entrySet()) {
            SocketPacket packet = decoder.decode(c.getValue());
            if (lossy.contains(c.getKey())) {
                continue;
            }
            Origin origin = c.getKey().startsWith("broadcast") ? Origin.BROADCAST
                    : c.getKey().equals("connect-error-invalid-namespace") ? Origin.CONNECTION : Origin.SOCKET;
            assertThat(encoder.encode(packet, origin)).as("re-encoded case %s", c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void undefinedReadsAsNullAndAnArrayBufferAsBytes() {
        assertThat(decodeServer("connect").data()).isEqualTo(map("sid", ((Map<?, ?>) decodeServer("connect").data())
                .get("sid"), "pid", null));
        assertThat(decodeServer("event-undefined").args())
                .isEqualTo(list("undef", null, map("x", null, "y", 1), Collections.singletonList(null)));
        assertThat(decodeServer("event-arraybuffer").args().get(1)).isEqualTo(new byte[]{9, 8, 7});
        assertThat(decodeServer("event-date").args()).containsExactly("date", new Date(1700000000123L), new Date(-1));
    }

    @Test
    void whatSocketIoClientSendsDecodes() {
        assertThat(decoder.decode(client.get("client-connect"))).isEqualTo(SocketPacket.connect("/", null));
        assertThat(decoder.decode(client.get("client-connect-custom-namespace")))
                .isEqualTo(SocketPacket.connect("/custom", null));
        assertThat(decoder.decode(client.get("client-event")))
                .isEqualTo(SocketPacket.event("/", list("hello", "world", 1, 2.5, true, null, map("a", list(1, "b")))));
        SocketPacket binary = decoder.decode(client.get("client-event-binary"));
        assertThat(binary.args()).hasSize(3);
        assertThat(binary.args().get(1)).as("a Node.js Buffer").isEqualTo(new byte[]{1, 2, 3});
        assertThat(binary.args().get(2)).as("an ArrayBuffer").isEqualTo(new byte[]{4, 5});
        assertThat(decoder.decode(client.get("client-event-date-undefined")).args())
                .isEqualTo(list("when", new Date(1700000000123L), null, map("u", null)));
        SocketPacket ask = decoder.decode(client.get("client-event-with-ack"));
        assertThat(ask).isEqualTo(SocketPacket.event("/", ask.id(), list("question", "why")));
        assertThat(ask.hasId()).isTrue();
        SocketPacket ack = decoder.decode(client.get("client-ack"));
        assertThat(ack).isEqualTo(SocketPacket.ack("/", ack.id(), list("done", 1)));
        assertThat(decoder.decode(client.get("client-disconnect"))).isEqualTo(SocketPacket.disconnect("/"));
    }

    @Test
    void theFuzzingSeedsAreThesePackets() throws IOException {
        List<Path> seeds;
        try (Stream<Path> files = Files.list(SEEDS)) {
            seeds = files.sorted().toList();
        }
        assertThat(seeds).as("seed files in %s", SEEDS).hasSizeGreaterThan(20);
        for (Path seed : seeds) {
            String name = seed.getFileName().toString();
            byte[] golden = name.startsWith("server-") ? server.get(name.substring("server-".length())) : client.get(name);
            // A new socket id each run: compare the CONNECT replies up to the sid.
            if (name.startsWith("server-connect") && !name.contains("error")) {
                assertThat(Files.size(seed)).as("seed %s", name).isEqualTo(golden.length);
                continue;
            }
            assertThat(Files.readAllBytes(seed)).as("seed %s (refresh the seeds from golden.mjs' output)", name)
                    .isEqualTo(golden);
        }
    }
}
