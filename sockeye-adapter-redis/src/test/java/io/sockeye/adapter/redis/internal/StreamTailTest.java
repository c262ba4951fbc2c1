package io.sockeye.adapter.redis.internal;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader's tail on its own: what it serves, and when it must leave a restore to Redis. */
class StreamTailTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static StreamPosition at(long millis) {
        return EntryIdFormat.INSTANCE.parse(millis + "-0");
    }

    private static ClusterMessage toRoom(String room, Object arg) {
        return new ClusterMessage("node", "/", new Broadcast(SocketPacket.event("/", Arrays.asList("m", arg)),
                BroadcastOptions.to(Set.of(room)), null));
    }

    private static StreamTail.Slice slice(StreamTail tail, long afterMillis, String room, int limit) {
        long after = at(afterMillis).sequence();
        return tail.slice("/", after, Map.of(room, after), Long.MAX_VALUE, limit);
    }

    private static List<Object> args(StreamTail.Slice slice) {
        return slice.entries().stream().map(e -> e.args.get(1)).toList();
    }

    @Test
    void servesTheEntriesARoomIsOwedAfterAnOffsetInsideTheTail() {
        StreamTail tail = new StreamTail(100, 1 << 20);
        tail.start(at(10));
        tail.append(at(11), "/", toRoom("r", 1), 50);
        tail.append(at(12), "/", toRoom("elsewhere", 2), 50);
        tail.append(at(13), "/other", toRoom("r", 3), 50);
        tail.append(at(14), "/", new ClusterMessage("node", "/", new Broadcast(SocketPacket.event("/", List.of("m", 4)),
                BroadcastOptions.to(Set.of("r")).withFlags(BroadcastFlags.NONE.withVolatile(true)), null)), 50);
        tail.append(at(15), "/", null, 50); // not a message of a namespace this node serves
        tail.append(at(16), "/", toRoom("r", 6), 50);

        StreamTail.Slice fromStart = slice(tail, 10, "r", 10);
        assertThat(fromStart.kind()).isEqualTo(StreamTail.Slice.Kind.SERVED);
        assertThat(args(fromStart)).containsExactly(1, 6);
        assertThat(fromStart.through()).isEqualTo(at(16).sequence());
        assertThat(fromStart.more()).isFalse();
        assertThat(args(slice(tail, 11, "r", 10))).containsExactly(6);
        assertThat(slice(tail, 16, "r", 10).entries()).isEmpty();

        StreamTail.Slice page = slice(tail, 10, "r", 1);
        assertThat(args(page)).containsExactly(1);
        assertThat(page.more()).isTrue();
        assertThat(page.through()).isEqualTo(at(11).sequence());
    }

    @Test
    void theReplayedPacketCarriesTheEntryIdAsLastArgumentNullArgumentsIncluded() {
        StreamTail tail = new StreamTail(100, 1 << 20);
        tail.start(at(10));
        tail.append(at(11), "/", toRoom("r", null), 50);
        StreamTail.Entry entry = slice(tail, 10, "r", 10).entries().get(0);

        assertThat(entry.replay("/", p -> new EncodedPacket(p.args().toString(), List.of())).packet().text())
                .isEqualTo("[m, null, 11-0]");
    }

    @Test
    void anOffsetOlderThanWhatTheTailStillHoldsIsLeftToRedis() {
        StreamTail byCount = new StreamTail(2, 1 << 20);
        byCount.start(at(10));
        for (int i = 11; i <= 14; i++) {
            byCount.append(at(i), "/", toRoom("r", i), 50);
        }
        assertThat(slice(byCount, 11, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.OLDER);
        assertThat(args(slice(byCount, 12, "r", 10))).as("the last evicted entry is the base").containsExactly(13, 14);

        StreamTail byBytes = new StreamTail(100, 2 * (160 + 4 * 50));
        byBytes.start(at(10));
        for (int i = 11; i <= 14; i++) {
            byBytes.append(at(i), "/", toRoom("r", i), 50);
        }
        assertThat(slice(byBytes, 11, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.OLDER);
        assertThat(args(slice(byBytes, 12, "r", 10))).containsExactly(13, 14);

        StreamTail off = new StreamTail(0, 0);
        assertThat(off.enabled()).isFalse();
        off.start(at(10));
        off.append(at(11), "/", toRoom("r", 11), 50);
        assertThat(slice(off, 10, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.OLDER);
    }

    @Test
    void afterADiscontinuityNothingBeforeTheNextEntryReadIsServed() {
        StreamTail tail = new StreamTail(100, 1 << 20);
        assertThat(slice(tail, 10, "r", 10).kind()).as("before the reader started").isEqualTo(StreamTail.Slice.Kind.OLDER);
        tail.start(at(10));
        tail.append(at(11), "/", toRoom("r", 11), 50);
        tail.invalidate();
        assertThat(slice(tail, 11, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.OLDER);

        tail.append(at(20), "/", toRoom("r", 20), 50); // entries between 11 and 20 may have been lost
        tail.append(at(21), "/", toRoom("r", 21), 50);
        assertThat(slice(tail, 11, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.OLDER);
        assertThat(args(slice(tail, 20, "r", 10))).containsExactly(21);
    }

    @Test
    void aRestoreAheadOfTheReaderWaitsUntilTheReaderPassesItsOffset() {
        StreamTail tail = new StreamTail(100, 1 << 20);
        tail.start(at(10));
        tail.append(at(11), "/", toRoom("r", 11), 50);
        assertThat(slice(tail, 12, "r", 10).kind()).isEqualTo(StreamTail.Slice.Kind.NOT_YET);

        CompletableFuture<Boolean> passed = tail.awaitPast(at(12).sequence(), 60_000, scheduler);
        assertThat(passed).isNotDone();
        tail.append(at(12), "/", toRoom("r", 12), 50);
        assertThat(passed).isCompletedWithValue(true);
        tail.append(at(13), "/", toRoom("r", 13), 50);
        assertThat(args(slice(tail, 12, "r", 10))).containsExactly(13);

        assertThat(tail.awaitPast(at(99).sequence(), 10, scheduler)).succeedsWithin(Duration.ofSeconds(10))
                .isEqualTo(false);
    }

    @Test
    void aReadAfterThisNodeAppendedWaitsUntilTheReaderReadTheAppendBack() {
        StreamTail tail = new StreamTail(100, 1 << 20);
        tail.start(at(10));
        tail.append(at(11), "/", toRoom("r", 11), 50);
        tail.appended(at(12));

        StreamTail.Slice before = slice(tail, 11, "r", 10);
        assertThat(before.kind()).isEqualTo(StreamTail.Slice.Kind.NOT_YET);
        assertThat(before.through()).isEqualTo(at(12).sequence());
        tail.append(at(12), "/", toRoom("r", 12), 50);
        tail.appended(at(13)); // a later append does not hold back a read that waited for the earlier one
        long after = at(11).sequence();
        StreamTail.Slice waited = tail.slice("/", after, before.through(), Map.of("r", after), Long.MAX_VALUE, 10);
        assertThat(args(waited)).containsExactly(12);
    }
}
