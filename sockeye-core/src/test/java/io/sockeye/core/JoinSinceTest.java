package io.sockeye.core;

import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HookedHistory;
import io.sockeye.core.recovery.OffsetPlaceholder;
import io.sockeye.core.recovery.RecoveryFailure;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.sockeye.core.RecoveryHarness.offsetOf;
import static io.sockeye.core.RecoveryHarness.withoutOffset;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Socket#joinSince} and {@link RoomHistory}: a connected socket catches up on one room from an
 * offset — replay, then live, nothing lost or doubled — and the history of a room is read by offset;
 * an {@link OffsetPlaceholder} inside the arguments becomes the broadcast's offset, and
 * {@link BroadcastOperator#emitWithOffset} tells it.
 */
class JoinSinceTest {

    private final AtomicReference<HookedHistory> history = new AtomicReference<>();
    private RecoveryHarness csr;

    @AfterEach
    void tearDown() {
        csr.close();
    }

    private RecoveryHarness.Client connected(HistoryBounds bounds) {
        csr = new RecoveryHarness(bounds, RecoveryHarness.adapters(context -> HookedHistory.backend(context, history)));
        return csr.client().connect();
    }

    private RecoveryHarness.Client connected() {
        return connected(HistoryBounds.defaults(RecoveryHarness.WINDOW));
    }

    private RoomHistory rooms() {
        return csr.io.of("/").roomHistory();
    }

    private List<RoomHistory.Message> newest(String room, int limit) {
        RoomHistory.Page page = rooms().read(room, null, limit).join();
        assertThat(page.status()).isEqualTo(HistoryRead.Status.OK);
        return page.messages();
    }

    private RoomHistory.Replay joinSince(RecoveryHarness.Client client, String room, String offset) {
        return client.serverSocket().joinSince(room, rooms().parse(offset)).join();
    }

    @Test
    void replaysTheRoomAfterTheOffsetThenDeliversLive() {
        RecoveryHarness.Client client = connected();
        csr.publish("r", "a");
        csr.publish("r", "b");
        csr.publish("r", "c");
        String afterA = newest("r", 3).get(0).offset();

        RoomHistory.Replay replay = joinSince(client, "r", afterA);

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"b\"]");
        String lastReplayed = client.next();
        assertThat(withoutOffset(lastReplayed)).isEqualTo("2[\"news\",\"c\"]");
        assertThat(replay).isEqualTo(new RoomHistory.Replay(true, offsetOf(lastReplayed), 2, null));
        csr.publish("r", "d");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"d\"]");
        client.session.assertNothingSent();
    }

    @Test
    void publishBetweenTheJoinAndTheReadIsDeliveredOnceByTheReplay() {
        RecoveryHarness.Client client = connected();
        csr.publish("r", "a");
        String afterA = newest("r", 1).get(0).offset();
        history.get().beforeNextRead(() -> csr.publish("r", "racing"));

        RoomHistory.Replay replay = joinSince(client, "r", afterA);

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"racing\"]");
        assertThat(replay.replayed()).isEqualTo(1);
        csr.publish("r", "after");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"after\"]");
        client.session.assertNothingSent();
    }

    @Test
    void publishAfterTheReadIsDeliveredOnceAfterTheReplay() {
        RecoveryHarness.Client client = connected();
        csr.publish("r", "a");
        csr.publish("r", "b");
        String afterA = newest("r", 2).get(0).offset();
        history.get().afterNextRead(() -> csr.publish("r", "racing"));

        joinSince(client, "r", afterA);

        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"b\"]");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"racing\"]");
        client.session.assertNothingSent();
    }

    @Test
    void otherRoomsPacketsHeldDuringTheCatchUpAreDeliveredNotDropped() {
        RecoveryHarness.Client client = connected();
        client.call("join", "other");
        csr.publish("r", "a");
        csr.publish("r", "b");
        String afterA = newest("r", 2).get(0).offset();
        // Numbered before the read's end but not in the room's replay: it must still arrive, once.
        history.get().beforeNextRead(() -> csr.publish("other", "elsewhere"));

        joinSince(client, "r", afterA);

        assertThat(List.of(withoutOffset(client.next()), withoutOffset(client.next())))
                .containsExactlyInAnyOrder("2[\"news\",\"b\"]", "2[\"news\",\"elsewhere\"]");
        client.session.assertNothingSent();
    }

    @Test
    void prunedOtherEpochAndAheadJoinWithoutReplay() {
        RecoveryHarness.Client client = connected(HistoryBounds.defaults(RecoveryHarness.WINDOW).withMaxEntriesPerRoom(2));
        csr.publish("r", "a");
        String afterA = newest("r", 1).get(0).offset();
        csr.publish("r", "b");
        csr.publish("r", "c");
        csr.publish("r", "d"); // two kept per room: b is evicted, so "after a" is no longer covered
        String head = rooms().headOffset();
        StreamPosition now = rooms().parse(head);

        assertThat(joinSince(client, "r", afterA)).isEqualTo(new RoomHistory.Replay(false, head, 0, RecoveryFailure.PRUNED));
        assertThat(client.serverSocket().joinSince("r", new StreamPosition("zzzzzzzz", 1)).join().failure())
                .isEqualTo(RecoveryFailure.OTHER_EPOCH);
        assertThat(client.serverSocket().joinSince("r", new StreamPosition(now.epoch(), now.sequence() + 5)).join().failure())
                .isEqualTo(RecoveryFailure.AHEAD);
        client.session.assertNothingSent();
        csr.publish("r", "live");
        assertThat(withoutOffset(client.next())).isEqualTo("2[\"news\",\"live\"]");
    }

    @Test
    void historyWithoutSinceIsTheNewestTheRoomStillHoldsOldestFirst() {
        connected(HistoryBounds.defaults(RecoveryHarness.WINDOW).withMaxEntriesPerRoom(3));
        for (int i = 1; i <= 5; i++) {
            csr.publish("r", i);
        }
        csr.publish("elsewhere", 99);

        assertThat(newest("r", 10)).extracting(m -> m.args().get(0)).containsExactly(3, 4, 5);
        assertThat(newest("r", 2)).extracting(m -> m.args().get(0)).containsExactly(4, 5);
        assertThat(newest("r", 2)).extracting(RoomHistory.Message::event).containsOnly("news");
        assertThat(newest("empty", 5)).isEmpty();
        String first = newest("r", 3).get(0).offset();
        RoomHistory.Page after = rooms().read("r", rooms().parse(first), 1).join();
        assertThat(after.messages()).extracting(m -> m.args().get(0)).containsExactly(4);
        assertThat(after.more()).isTrue();
        assertThat(after.offset()).isEqualTo(after.messages().get(0).offset());
    }

    @Test
    void placeholderInsideTheArgumentsBecomesTheBroadcastsOffsetLiveReplayedAndRead() {
        RecoveryHarness.Client client = connected();
        client.call("join", "r");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("offset", OffsetPlaceholder.VALUE);
        meta.put("list", List.of(OffsetPlaceholder.VALUE, "keep"));

        csr.io.to("r").emit("msg", "hello", meta);

        String live = client.next();
        String offset = offsetOf(live);
        assertThat(live).isEqualTo("2[\"msg\",\"hello\",{\"offset\":\"" + offset + "\",\"list\":[\"" + offset
                + "\",\"keep\"]},\"" + offset + "\"]");
        RoomHistory.Message read = newest("r", 1).get(0);
        assertThat(read.offset()).isEqualTo(offset);
        assertThat(read.args()).containsExactly("hello", Map.of("offset", offset, "list", List.of(offset, "keep")));
        RecoveryHarness.Client other = csr.client().connect();
        String before = rooms().parse(offset).epoch() + "." + "0".repeat(16);
        joinSince(other, "r", before);
        assertThat(other.next()).isEqualTo(live);
    }

    @Test
    void emitWithOffsetCompletesWithTheOffsetTheClientsReceive() {
        RecoveryHarness.Client client = connected();
        client.call("join", "r");

        String offset = csr.io.to("r").emitWithOffset("news", "x").join();

        assertThat(offset).isNotNull();
        assertThat(offsetOf(client.next())).isEqualTo(offset);
        assertThat(csr.io.to("r").asVolatile().emitWithOffset("news", "y").join())
                .as("volatile events take a position too").isGreaterThan(offset);
    }

    @Test
    void withoutRecoveryTheNamespaceHasNoRoomHistoryAndBroadcastsNoOffset() {
        csr = new RecoveryHarness();
        SocketIoHarness plain = new SocketIoHarness(b -> b);
        try {
            assertThat(plain.io.of("/").roomHistory()).isNull();
            assertThat(plain.io.to("r").emitWithOffset("news", "x").join()).isNull();
            assertThat(rooms()).isNotNull();
        } finally {
            plain.close();
        }
    }
}
