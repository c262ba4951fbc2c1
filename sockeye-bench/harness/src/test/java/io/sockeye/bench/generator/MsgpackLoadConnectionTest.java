package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sockeye.bench.generator.ConnectSpec.Mode;
import io.sockeye.bench.generator.ConnectSpec.Role;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator speaking socket.io-msgpack-parser's packets, frame by frame on an EmbeddedChannel. */
class MsgpackLoadConnectionTest {

    private static final String OPEN = "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
    private static final MsgpackPacketEncoder SERVER = new MsgpackPacketEncoder(new ObjectMapper());
    private static final MsgpackPacketDecoder DECODER = new MsgpackPacketDecoder();

    private final Generator generator = new Generator(0, 1);
    private final List<String> outcomes = new ArrayList<>();

    @AfterEach
    void close() {
        generator.close();
    }

    private EmbeddedChannel channel(Role role, String room) {
        ConnectSpec spec = new ConnectSpec("127.0.0.1", List.of(1), "/socket.io/", Mode.SOCKET_IO_MSGPACK, role, 1, 1, room, 1000);
        EmbeddedChannel ch = new EmbeddedChannel(new LoadConnection(generator, spec,
                (conn, failure) -> outcomes.add(failure == null ? "ready" : failure)));
        ch.pipeline().fireUserEventTriggered(ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
        return ch;
    }

    /** A connection past its CONNECT (no room to join), its CONNECT packet read off. */
    private EmbeddedChannel connected(Role role) {
        EmbeddedChannel ch = channel(role, null);
        ch.writeInbound(new TextWebSocketFrame(OPEN));
        sent(ch);
        receive(ch, SocketPacket.connect("/", Map.of("sid", "x")), MsgpackPacketEncoder.Origin.SOCKET);
        return ch;
    }

    private static void receive(EmbeddedChannel ch, SocketPacket packet, MsgpackPacketEncoder.Origin origin) {
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(SERVER.encode(packet, origin))));
    }

    /** The next packet the connection sent, which must be a binary frame. */
    private static SocketPacket sent(EmbeddedChannel ch) {
        WebSocketFrame f = ch.readOutbound();
        try {
            assertThat(f).isInstanceOf(BinaryWebSocketFrame.class);
            return DECODER.decode(ByteBufUtil.getBytes(f.content()));
        } finally {
            f.release();
        }
    }

    private static Map<String, Object> message(long t) {
        return Map.of("room", "room", "t", t, "p", "abc");
    }

    @Test
    void connectsJoinsAndIsReadyWithBinaryPackets() {
        EmbeddedChannel ch = channel(Role.SUBSCRIBER, "room");
        ch.writeInbound(new TextWebSocketFrame(OPEN)); // the Engine.IO packets stay text
        assertThat(sent(ch)).isEqualTo(SocketPacket.connect("/", null));
        receive(ch, SocketPacket.connect("/", Map.of("sid", "x")), MsgpackPacketEncoder.Origin.SOCKET);
        assertThat(sent(ch)).isEqualTo(SocketPacket.event("/", 0, List.of("join", "room")));
        assertThat(outcomes).isEmpty();
        receive(ch, SocketPacket.ack("/", 0, List.of()), MsgpackPacketEncoder.Origin.SOCKET);
        assertThat(outcomes).containsExactly("ready");
        ch.writeInbound(new TextWebSocketFrame("2"));
        TextWebSocketFrame pong = ch.readOutbound();
        assertThat(pong.text()).isEqualTo("3");
        pong.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void recordsEachBroadcastDeliveryByItsTimestamp() {
        EmbeddedChannel ch = connected(Role.SUBSCRIBER);
        long sent = EpochClock.nanos() - 5_000_000; // 5 ms ago
        receive(ch, SocketPacket.event("/", List.of("msg", message(sent))), MsgpackPacketEncoder.Origin.BROADCAST);
        receive(ch, SocketPacket.event("/", List.of("msg", message(sent))), MsgpackPacketEncoder.Origin.BROADCAST);
        Generator.Snapshot s = generator.snapshot();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.latencyUs().getMinValue()).isGreaterThanOrEqualTo(4_900L);
        assertThat(generator.protocolErrors()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aTextSocketIoPacketOrAMalformedBinaryOneIsAProtocolError() {
        EmbeddedChannel ch = connected(Role.SUBSCRIBER);
        ch.writeInbound(new TextWebSocketFrame("42[\"msg\",{\"t\":1}]"));
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, (byte) 0xa4, 't'})));
        assertThat(generator.protocolErrors()).isEqualTo(2);
        assertThat(generator.deliveredCount()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void publishesAndEchoesAsMsgpackEvents() {
        EmbeddedChannel pub = connected(Role.PUBLISHER);
        assertThat(outcomes).containsExactly("ready");
        LoadConnection c = pub.pipeline().get(LoadConnection.class);
        Payloads payloads = new Payloads("room", 128);
        c.writePublish(payloads, 42);
        pub.flush();
        SocketPacket publish = sent(pub);
        assertThat(publish.type()).isEqualTo(SocketPacketType.EVENT);
        assertThat(publish.hasId()).isFalse();
        List<?> args = (List<?>) publish.data();
        assertThat(args.get(0)).isEqualTo("publish");
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) args.get(1);
        assertThat(message.keySet()).containsExactly("room", "t", "p");
        assertThat(((Number) message.get("t")).longValue()).isEqualTo(42);
        assertThat(message.get("p")).isEqualTo(payloads.map(42).get("p"));
        c.sendEcho(payloads);
        SocketPacket echo = sent(pub);
        assertThat(echo.id()).isEqualTo(0);
        receive(pub, SocketPacket.ack("/", 0, List.of(message(1))), MsgpackPacketEncoder.Origin.SOCKET);
        assertThat(c.echoOutstanding()).isFalse();
        pub.finishAndReleaseAll();
    }
}
