package io.sockeye.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HookedHistory;
import io.sockeye.testkit.ManualClock;
import io.sockeye.core.recovery.OffsetPlaceholder;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection state recovery with a msgpack client: the offset is the last string of an event's data, a
 * reconnect with {@code {pid, offset}} in its CONNECT data gets the missed events (kept in the history
 * in their JSON encoding) as msgpack packets, binary inline, then the CONNECT reply with the same ids;
 * a connected msgpack socket catching up on a room ({@link Socket#joinSince}) gets its replay in msgpack.
 */
class MsgpackRecoveryTest {

    private static final MsgpackPacketEncoder ENCODER = new MsgpackPacketEncoder(new ObjectMapper());
    private static final MsgpackPacketDecoder DECODER = new MsgpackPacketDecoder();

    private final AtomicReference<HookedHistory> hooked = new AtomicReference<>();
    private final SocketIoHarness harness = new SocketIoHarness(b -> b.parser(Parser.MSGPACK)
            .adapterFactory(RecoveryHarness.adapters(context -> HookedHistory.backend(context, hooked)))
            .connectionStateRecovery(ConnectionStateRecovery.of(Duration.ofMinutes(2), true).withClock(new ManualClock())));

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private static SocketPacket next(InMemoryEngineSocket session) {
        return DECODER.decode(session.nextBinary());
    }

    private static Map<?, ?> connectReply(InMemoryEngineSocket session) {
        SocketPacket reply = next(session);
        assertThat(reply.type()).isEqualTo(SocketPacketType.CONNECT);
        return (Map<?, ?>) reply.data();
    }

    /** The offset an event carries: the last element of its data, a string. */
    private static String offsetOf(SocketPacket event) {
        List<Object> args = event.args();
        assertThat(args.get(args.size() - 1)).isInstanceOf(String.class);
        return (String) args.get(args.size() - 1);
    }

    @Test
    void aMsgpackClientThatReconnectsGetsTheEventsItMissedInMsgpack() {
        InMemoryEngineSocket session = harness.open();
        session.receiveBinary(ENCODER.encode(SocketPacket.connect("/", null)));
        Map<?, ?> ids = connectReply(session);
        String sid = (String) ids.get("sid");
        String pid = (String) ids.get("pid");
        assertThat(pid).isNotNull();

        harness.io.emit("news", 1);
        SocketPacket first = next(session);
        String offset = offsetOf(first);
        assertThat(first).isEqualTo(SocketPacket.event("/", List.of("news", 1, offset)));

        session.transportClosed("transport close");
        session.awaitClosed();
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.io.sockets().socket(sid) == null);
        harness.io.emit("news", 2);
        harness.io.emit("news", (Object) new byte[]{7, 8});

        InMemoryEngineSocket again = harness.open();
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("pid", pid);
        auth.put("offset", offset);
        again.receiveBinary(ENCODER.encode(SocketPacket.connect("/", auth)));

        SocketPacket second = next(again);
        assertThat(second).isEqualTo(SocketPacket.event("/", List.of("news", 2, offsetOf(second))));
        SocketPacket third = next(again);
        assertThat(third.type()).isEqualTo(SocketPacketType.EVENT);
        assertThat(third.args().subList(0, 2)).containsExactly("news", new byte[]{7, 8});
        assertThat(offsetOf(third)).isNotEqualTo(offsetOf(second)).isNotEqualTo(offset);
        Map<?, ?> restored = connectReply(again);
        assertThat(restored.get("sid")).isEqualTo(sid);
        assertThat(restored.get("pid")).isEqualTo(pid);
        assertThat(harness.io.sockets().socket(sid).recovered()).isTrue();
    }

    @Test
    void aMsgpackSocketCatchesUpOnARoomInMsgpackWithTheOffsetsInsideItsArgumentsAndNothingTwice() {
        InMemoryEngineSocket session = harness.open();
        session.receiveBinary(ENCODER.encode(SocketPacket.connect("/", null)));
        String sid = (String) connectReply(session).get("sid");
        RoomHistory history = harness.io.of("/").roomHistory();
        StreamPosition start = history.parse(history.headOffset());
        harness.io.to("room").emit("note", 1, Map.of("offset", OffsetPlaceholder.VALUE));
        harness.io.to("elsewhere").emit("note", 2);
        harness.io.to("room").emit("note", (Object) new byte[]{5});
        // Live packets racing the catch-up are held as msgpack: one the replay has, one after the read.
        hooked.get().beforeNextRead(() -> harness.io.to("room").emit("note", "in the replay"));
        hooked.get().afterNextRead(() -> harness.io.to("room").emit("note", "held"));

        RoomHistory.Replay replay = harness.io.sockets().socket(sid).joinSince("room", start).join();

        SocketPacket first = next(session);
        String offset = offsetOf(first);
        assertThat(first).isEqualTo(SocketPacket.event("/", List.of("note", 1, Map.of("offset", offset), offset)));
        SocketPacket second = next(session);
        assertThat(second.args().subList(0, 2)).containsExactly("note", new byte[]{5});
        assertThat(next(session).args().subList(0, 2)).containsExactly("note", "in the replay");
        assertThat(next(session).args().subList(0, 2)).as("held, then written").containsExactly("note", "held");
        assertThat(replay.recovered()).isTrue();
        assertThat(replay.replayed()).isEqualTo(3);
        harness.io.to("room").emit("note", 3);
        assertThat(next(session).args().subList(0, 2)).as("live, nothing twice before it").containsExactly("note", 3);
    }
}
