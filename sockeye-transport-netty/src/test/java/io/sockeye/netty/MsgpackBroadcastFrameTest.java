package io.sockeye.netty;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.Parser;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broadcast is encoded once per parser in use among its recipients, and framed once per event loop
 * and wire form: with parser auto, JSON and msgpack clients in one room (on one loop, WebSocket and
 * long-polling) get several broadcasts queued in one flush, and the server makes one text frame and one
 * binary frame per broadcast, not one per recipient; with msgpack clients only, no text frame at all.
 * Netty's leak detector runs at paranoid and fails the class on a leaked frame.
 */
class MsgpackBroadcastFrameTest {

    private static final int BROADCASTS = 3;
    private static final int PAYLOAD_CHARS = 301;
    private static final MsgpackPacketEncoder MSGPACK = new MsgpackPacketEncoder(new ObjectMapper());
    private static final byte[] CONNECT = MSGPACK.encode(SocketPacket.connect("/", null));
    private static final byte[] BURST = MSGPACK.encode(SocketPacket.event("/", List.of("burst")));

    // The frames counted are told apart by size: a 4-byte header (126 < length <= 65535) and the message.
    private static final int TEXT_FRAME_BYTES = 4 + expectedText(0).getBytes(StandardCharsets.UTF_8).length;
    private static final int BINARY_FRAME_BYTES = 4 + expectedMsgpack(0).length;

    private NettyFrontend front;
    private RawClients clients;

    private void start(CountingAllocator allocator) {
        assertThat(TEXT_FRAME_BYTES).isNotEqualTo(BINARY_FRAME_BYTES);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().parser(Parser.AUTO).build());
        io.on("connection", socket -> {
            socket.join("room");
            socket.on("burst", (args, ack) -> {
                for (int i = 0; i < BROADCASTS; i++) {
                    io.to("room").emit("news", payload(i));
                }
            });
        });
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1).allocator(allocator)
                .httpCompression(false).attach(io).build().start();
        clients = new RawClients(front.port());
    }

    @AfterEach
    void stop() {
        if (front != null) {
            clients.close();
            front.close();
        }
    }

    @Test
    void jsonAndMsgpackRecipientsCostOneFramePerBroadcastAndParser() throws Exception {
        CountingAllocator frames = new CountingAllocator(size -> size == TEXT_FRAME_BYTES || size == BINARY_FRAME_BYTES);
        start(frames);
        List<RawClients.Ws> json = List.of(clients.jsonWebsocket(), clients.jsonWebsocket(), clients.jsonWebsocket());
        List<RawClients.Ws> msgpack = List.of(msgpackClient(), msgpackClient(), msgpackClient());
        RawClients.Polling polling = clients.polling();
        polling.send(record(CONNECT));
        assertThat(polling.poll().get(30, TimeUnit.SECONDS)).startsWith("b");
        CompletableFuture<String> poll = polling.poll();
        int before = frames.count();

        msgpack.get(0).send(BURST);

        for (RawClients.Ws client : json) {
            assertThat(news(client)).containsExactly(expectedText(0), expectedText(1), expectedText(2));
        }
        for (RawClients.Ws client : msgpack) {
            assertThat(news(client)).containsExactly(RawClients.bin(expectedMsgpack(0)),
                    RawClients.bin(expectedMsgpack(1)), RawClients.bin(expectedMsgpack(2)));
        }
        assertThat(poll.get(30, TimeUnit.SECONDS)).isEqualTo(record(expectedMsgpack(0)) + "\u001e"
                + record(expectedMsgpack(1)) + "\u001e" + record(expectedMsgpack(2)));
        assertThat(frames.count() - before).as("frames made for %d broadcasts to 3 JSON and 4 msgpack recipients",
                BROADCASTS).isEqualTo(2 * BROADCASTS);
    }

    @Test
    void msgpackRecipientsOnlyMakeNoTextFrame() throws Exception {
        CountingAllocator textFrames = new CountingAllocator(size -> size == TEXT_FRAME_BYTES);
        start(textFrames);
        List<RawClients.Ws> msgpack = List.of(msgpackClient(), msgpackClient());
        int before = textFrames.count();

        msgpack.get(0).send(BURST);

        for (RawClients.Ws client : msgpack) {
            assertThat(news(client)).hasSize(BROADCASTS);
        }
        assertThat(textFrames.count() - before).isZero();
    }

    @Test
    void aMsgpackBroadcastToOneLoopIsFramedOnceAndARecipientLeavingLeaksNothing() throws Exception {
        CountingAllocator binaryFrames = new CountingAllocator(size -> size == BINARY_FRAME_BYTES);
        start(binaryFrames);
        List<RawClients.Ws> msgpack = List.of(msgpackClient(), msgpackClient(), msgpackClient(), msgpackClient());
        int before = binaryFrames.count();

        msgpack.get(0).send(BURST);

        for (RawClients.Ws client : msgpack) {
            assertThat(news(client)).hasSize(BROADCASTS);
        }
        assertThat(binaryFrames.count() - before).isEqualTo(BROADCASTS);
        msgpack.get(3).socket.abort(); // the class fails on a leak
        msgpack.get(0).send(BURST);
        assertThat(news(msgpack.get(1))).hasSize(BROADCASTS);
    }

    private RawClients.Ws msgpackClient() throws Exception {
        RawClients.Ws client = clients.websocket();
        client.send(CONNECT);
        assertThat(client.next()).startsWith("bin:83a47479706500"); // {type: 0, ...}
        return client;
    }

    /** The broadcasts a client received: text, or {@code bin:<hex>} of the binary message. */
    private static List<String> news(RawClients.Ws client) throws InterruptedException {
        return client.next(BROADCASTS, m -> m.startsWith("42[\"news\"") || m.startsWith("bin:83a47479706502"));
    }

    private static String payload(int i) {
        return String.valueOf((char) ('a' + i)).repeat(PAYLOAD_CHARS);
    }

    private static String expectedText(int i) {
        return "42[\"news\",\"" + payload(i) + "\"]";
    }

    private static byte[] expectedMsgpack(int i) {
        return MSGPACK.encode(SocketPacket.event("/", List.of("news", payload(i))), MsgpackPacketEncoder.Origin.BROADCAST);
    }

    private static String record(byte[] binary) {
        return "b" + Base64.getEncoder().encodeToString(binary);
    }
}
