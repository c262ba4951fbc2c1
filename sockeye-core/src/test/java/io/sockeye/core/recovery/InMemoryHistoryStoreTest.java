package io.sockeye.core.recovery;

import io.sockeye.testkit.ManualClock;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.socket.EncodedPacket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The node-local history's bounds, watermarks and reads. */
class InMemoryHistoryStoreTest {

    private static final Duration RETENTION = Duration.ofMinutes(3);
    private final ManualClock clock = new ManualClock();
    private final HistoryBudget budget = new HistoryBudget(1 << 20);

    private InMemoryHistoryStore store(HistoryBounds bounds) {
        return new InMemoryHistoryStore("/", bounds, budget, clock, RETENTION, SockeyeMetrics.NOOP);
    }

    private InMemoryHistoryStore store() {
        return store(HistoryBounds.defaults(Duration.ofMinutes(2)));
    }

    private static HistoryEntry append(InMemoryHistoryStore store, String text, Set<String> rooms, Set<String> except) {
        return store.append(rooms, except, true, p -> new EncodedPacket(text + "@" + p.sequence(), List.of()));
    }

    private static HistoryEntry append(InMemoryHistoryStore store, String text, String... rooms) {
        return append(store, text, Set.of(rooms), Set.of());
    }

    private static List<String> texts(HistoryRead read) {
        assertThat(read.status()).isEqualTo(HistoryRead.Status.OK);
        return read.entries().stream().map(e -> e.packet().text()).toList();
    }

    private static HistoryQuery query(StreamPosition after, Map<String, Long> rooms) {
        return new HistoryQuery(after, rooms, true, 100);
    }

    @Test
    void positionsGrowAndTheHeadFollowsAppends() {
        InMemoryHistoryStore store = store();
        StreamPosition start = store.head();
        assertThat(start.sequence()).isZero();
        HistoryEntry first = append(store, "a", "r");
        HistoryEntry skipped = store.append(Set.of("r"), Set.of(), false, p -> new EncodedPacket("v", List.of()));
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(skipped.sequence()).isEqualTo(2);
        assertThat(store.head()).isEqualTo(new StreamPosition(store.epoch(), 2));
        assertThat(store.entries()).isEqualTo(1); // the one not kept takes a position only
    }

    @Test
    void readReturnsOwedEntriesInOrderOnceEach() {
        InMemoryHistoryStore store = store();
        StreamPosition start = store.head();
        append(store, "both", "a", "b");
        append(store, "only-c", "c");
        append(store, "all");
        append(store, "a-but-b", Set.of("a"), Set.of("b"));
        append(store, "b", "b");

        HistoryRead read = store.readNow(query(start, Map.of("a", 0L, "b", 0L)));

        assertThat(texts(read)).containsExactly("both@1", "all@3", "b@5");
        assertThat(read.through()).isEqualTo(store.head());
        assertThat(read.more()).isFalse();
    }

    @Test
    void roomsJoinedLaterStartAtTheirJoin() {
        InMemoryHistoryStore store = store();
        StreamPosition start = store.head();
        append(store, "before-join", "late");
        long joinedAt = store.head().sequence();
        append(store, "after-join", "late");

        assertThat(texts(store.readNow(query(start, Map.of("late", joinedAt))))).containsExactly("after-join@2");
    }

    @Test
    void readsInPagesWhenTheLimitIsReached() {
        InMemoryHistoryStore store = store();
        StreamPosition start = store.head();
        for (int i = 0; i < 5; i++) {
            append(store, "m" + i, "r");
        }
        HistoryRead first = store.readNow(new HistoryQuery(start, Map.of("r", 0L), false, 2));
        assertThat(texts(first)).containsExactly("m0@1", "m1@2");
        assertThat(first.more()).isTrue();
        HistoryRead rest = store.readNow(new HistoryQuery(first.through(), Map.of("r", 0L), false, 10));
        assertThat(texts(rest)).containsExactly("m2@3", "m3@4", "m4@5");
    }

    @Test
    void aBusyRoomDoesNotEvictAQuietOne() {
        InMemoryHistoryStore store = store(HistoryBounds.defaults(Duration.ofMinutes(2)).withMaxEntriesPerRoom(3));
        StreamPosition start = store.head();
        append(store, "quiet", "quiet");
        for (int i = 0; i < 10; i++) {
            append(store, "busy", "busy");
        }
        assertThat(texts(store.readNow(query(start, Map.of("quiet", 0L))))).containsExactly("quiet@1");
        assertThat(store.readNow(query(start, Map.of("busy", 0L))).status()).isEqualTo(HistoryRead.Status.PRUNED);
        assertThat(store.watermark("busy")).isEqualTo(8);
        assertThat(store.entries()).isEqualTo(4);
    }

    @Test
    void anEntryInTwoRoomsStaysWhileOneRoomStillHoldsIt() {
        InMemoryHistoryStore store = store(HistoryBounds.defaults(Duration.ofMinutes(2)).withMaxEntriesPerRoom(1));
        StreamPosition start = store.head();
        append(store, "shared", "a", "b");
        append(store, "a-only", "a"); // evicts "shared" from a's log only

        assertThat(texts(store.readNow(query(start, Map.of("b", 0L))))).containsExactly("shared@1");
        assertThat(store.readNow(query(start, Map.of("a", 0L))).status()).isEqualTo(HistoryRead.Status.PRUNED);
        assertThat(store.entries()).isEqualTo(2);
    }

    @Test
    void ageEvictsAndRaisesEveryRoomsWatermark() {
        InMemoryHistoryStore store = store(HistoryBounds.defaults(Duration.ofSeconds(10)));
        StreamPosition start = store.head();
        append(store, "old", "a", "b");
        clock.advance(Duration.ofSeconds(11));
        store.sweep();

        assertThat(store.entries()).isZero();
        assertThat(store.watermark("a")).isEqualTo(1);
        assertThat(store.watermark("b")).isEqualTo(1);
        assertThat(store.readNow(query(start, Map.of("a", 0L))).status()).isEqualTo(HistoryRead.Status.PRUNED);
        assertThat(texts(store.readNow(query(new StreamPosition(store.epoch(), 1), Map.of("a", 0L))))).isEmpty();
    }

    @Test
    void theMemoryBudgetEvictsTheOldestEntriesOfTheStoreThatAppends() {
        HistoryBudget small = new HistoryBudget(1_000);
        InMemoryHistoryStore store = new InMemoryHistoryStore("/", HistoryBounds.defaults(Duration.ofMinutes(2)),
                small, clock, RETENTION, SockeyeMetrics.NOOP);
        for (int i = 0; i < 50; i++) {
            append(store, "x".repeat(100), "r" + i);
        }
        assertThat(small.used()).isLessThanOrEqualTo(1_000).isEqualTo(store.bytes());
        assertThat(store.entries()).isBetween(1, 10);
        assertThat(store.watermark("r0")).isEqualTo(1);
        store.close();
        assertThat(small.used()).isZero();
    }

    @Test
    void emptiedRoomsKeepTheirWatermarkForTheRetentionThenForget() {
        InMemoryHistoryStore store = store(HistoryBounds.defaults(Duration.ofSeconds(10)));
        append(store, "gone", "r");
        clock.advance(Duration.ofSeconds(11));
        store.sweep();
        assertThat(store.roomLogs()).isEqualTo(1);
        assertThat(store.watermark("r")).isEqualTo(1);

        clock.advance(RETENTION);
        store.sweep();

        assertThat(store.roomLogs()).isZero();
        assertThat(store.watermark("r")).isZero(); // nobody that could need it is still recoverable
    }

    @Test
    void otherEpochAndAheadPositionsAreRefused() {
        InMemoryHistoryStore store = store();
        append(store, "a", "r");
        String other = store.epoch().equals("00000000") ? "00000001" : "00000000";
        assertThat(store.readNow(query(new StreamPosition(other, 0), Map.of("r", 0L))).status())
                .isEqualTo(HistoryRead.Status.OTHER_EPOCH);
        assertThat(store.readNow(query(new StreamPosition(store.epoch(), 2), Map.of("r", 0L))).status())
                .isEqualTo(HistoryRead.Status.AHEAD);
        assertThat(texts(store.readNow(query(store.head(), Map.of("r", 0L))))).isEmpty(); // at the head: nothing missed
    }

    @Test
    void roomSizeOverridesKeepMoreLessOrNothingAndARoomKeepingNothingIsOwedNothing() {
        RoomHistorySizes sizes = room -> room.startsWith("typing:") ? 0
                : room.startsWith("announcements:") ? 4 : RoomHistorySizes.DEFAULT;
        InMemoryHistoryStore store = store(HistoryBounds.defaults(Duration.ofMinutes(2))
                .withMaxEntriesPerRoom(2).withRoomSizes(sizes));
        StreamPosition start = store.head();
        for (int i = 0; i < 4; i++) {
            append(store, "news" + i, "announcements:all");
            append(store, "chat" + i, "chat");
            append(store, "typing" + i, "typing:chat");
        }
        append(store, "both", "typing:chat", "chat");

        assertThat(store.watermark("announcements:all")).as("4 kept: none evicted").isZero();
        assertThat(texts(store.readNow(query(start, Map.of("announcements:all", 0L)))))
                .containsExactly("news0@1", "news1@4", "news2@7", "news3@10");
        assertThat(store.watermark("chat")).as("the default of 2: older ones evicted").isPositive();
        assertThat(store.readNow(query(start, Map.of("chat", 0L))).status()).isEqualTo(HistoryRead.Status.PRUNED);
        // Typing indicators take positions but are not kept, and a member of their room still recovers
        // (without them: a message to a room that keeps nothing is not owed there, even one kept for chat).
        assertThat(store.watermark("typing:chat")).isZero();
        assertThat(store.entries()).isEqualTo(4 + 2);
        assertThat(texts(store.readNow(query(start, Map.of("typing:chat", 0L))))).isEmpty();
        assertThat(texts(store.readNow(query(new StreamPosition(store.epoch(), 11), Map.of("chat", 0L)))))
                .containsExactly("both@13");
    }
}
