package io.sockeye.core.adapter;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Local behaviour of {@link InMemoryAdapter} that the conformance kit does not pin. */
class InMemoryAdapterTest {

    private final List<EventExecutor> loops = new ArrayList<>();
    private final RecordingNamespace namespace = new RecordingNamespace("/");
    private final InMemoryAdapter adapter = new InMemoryAdapter(namespace);

    {
        namespace.attach(adapter);
    }

    private <L extends EventExecutor> L loop(L loop) {
        loops.add(loop);
        return loop;
    }

    @AfterEach
    void stopLoops() {
        loops.forEach(l -> l.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
    }

    @Test
    void writesToManySocketsWithOneTaskPerEventLoop() throws Exception {
        DefaultEventExecutor a = loop(new DefaultEventExecutor());
        DefaultEventExecutor b = loop(new DefaultEventExecutor());
        List<RecordingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sockets.add(namespace.connect(i % 2 == 0 ? a : b));
        }
        // Hold both loops so the broadcast's tasks stay queued where we can count them.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(2);
        for (DefaultEventExecutor loop : List.of(a, b)) {
            loop.execute(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

        adapter.broadcast(SocketPacket.event("/", List.of("news")), BroadcastOptions.ALL);

        assertThat(a.pendingTasks()).isEqualTo(1);
        assertThat(b.pendingTasks()).isEqualTo(1);
        release.countDown();
        String text = namespace.text("news");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sockets).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(1)));
    }

    @Test
    void broadcastFromASocketsLoopWritesToThatLoopInline() throws Exception {
        EventExecutor here = loop(new DefaultEventExecutor());
        RecordingSocket first = namespace.connect(here);
        RecordingSocket second = namespace.connect(here);
        String text = namespace.text("inline");

        // Keeps the order of a handler's broadcast and its later direct writes on the same connection.
        List<Integer> seenInline = here.submit(() -> {
            adapter.broadcast(SocketPacket.event("/", List.of("inline")), BroadcastOptions.ALL);
            return List.of(first.texts().size(), second.texts().size());
        }).get(30, TimeUnit.SECONDS);

        assertThat(seenInline).containsExactly(1, 1);
        assertThat(first.texts()).containsExactly(text);
    }

    @Test
    void broadcastWithAckSharesOneAckIdAmongLocalRecipients() {
        EventExecutor here = loop(new DefaultEventExecutor());
        List<RecordingSocket> sockets = List.of(namespace.connect(here), namespace.connect(here), namespace.connect(here));
        namespace.nextAckId(); // the counter is the namespace's, shared with other emits
        AtomicInteger count = new AtomicInteger(-1);

        adapter.broadcastWithAck(SocketPacket.event("/", List.of("q")),
                BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofSeconds(30))), count::set, args -> { });

        assertThat(count).hasValue(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sockets).allSatisfy(s -> assertThat(s.pendingAcks()).containsExactly(1L)));
        assertThat(sockets).allSatisfy(s -> assertThat(s.texts()).containsExactly("21[\"q\"]"));
        assertThat(namespace.nextAckId()).isEqualTo(2);
    }

    @Test
    void broadcastWithAckNeedsATimeout() {
        assertThatThrownBy(() -> adapter.broadcastWithAck(SocketPacket.event("/", List.of("q")), BroadcastOptions.ALL,
                n -> { }, args -> { })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void broadcastWithAckToNobodyCompletesAtOnce() {
        assertThat(adapter.broadcastWithAck(SocketPacket.event("/", List.of("q")),
                BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMinutes(1)))))
                .succeedsWithin(Duration.ofSeconds(30)).satisfies(replies -> assertThat(replies).isEmpty());
    }

    @Test
    void packetIsPutInTheAdaptersNamespace() {
        RecordingNamespace chat = new RecordingNamespace("/chat");
        InMemoryAdapter chatAdapter = new InMemoryAdapter(chat);
        chat.attach(chatAdapter);
        RecordingSocket socket = chat.connect(loop(new DefaultEventExecutor()));

        // A packet from a bus may carry another (or no) namespace: the receiving namespace is what counts.
        chatAdapter.broadcast(SocketPacket.event("/", List.of("hi")), BroadcastOptions.ALL);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(socket.texts()).containsExactly("2/chat,[\"hi\"]"));
    }

    @Test
    void singleNodeHasNoOtherServers() {
        assertThat(adapter.serverCount()).isCompletedWithValue(1);
        assertThat(adapter.serverSideEmitWithAck(List.of("ping"), null)).isCompletedWithValue(List.of());
    }

    @Test
    void roomIsCreatedAndDeletedOnceUnderConcurrentJoinsAndLeaves() throws Exception {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();
        InMemoryAdapter hooked = new InMemoryAdapter(namespace) {
            @Override
            protected void onRoomCreated(String room) {
                created.incrementAndGet();
            }

            @Override
            protected void onRoomDeleted(String room) {
                deleted.incrementAndGet();
            }
        };
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String socketId = "socket-" + t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 2_000; i++) {
                    hooked.addAll(socketId, Set.of("busy"));
                    hooked.del(socketId, "busy");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // Every creation is matched by exactly one deletion, and the empty room is gone.
        assertThat(created.get()).isPositive().isEqualTo(deleted.get());
        assertThat(hooked.rooms()).doesNotContain("busy");
    }

    @Test
    void socketsResolvesRoomsLikeABroadcast() {
        EventExecutor here = loop(new DefaultEventExecutor());
        RecordingSocket a = namespace.connect(here);
        RecordingSocket b = namespace.connect(here);
        adapter.addAll(a.id(), Set.of("r1"));
        adapter.addAll(b.id(), Set.of("r1", "r2"));

        assertThat(adapter.sockets(Set.of("r1"))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(adapter.sockets(Set.of("r2", b.id()))).containsExactly(b.id());
        assertThat(adapter.sockets(Set.of())).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(adapter.rooms()).containsExactlyInAnyOrder("r1", "r2", a.id(), b.id());
    }

    @Test
    void membershipStaysExactWhileSetsGrowPastTheSmallSizeAndShrinkConcurrently() throws Exception {
        // Rooms and a socket's room set start as small immutable sets and turn concurrent when they
        // grow (MemberSets.SMALL = 8): 24 threads cross that line in both directions at once.
        int threads = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String socketId = "member-" + t;
            String ownRoom = "room-" + t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    adapter.addAll(socketId, Set.of("shared"));
                    adapter.addAll("one-socket", Set.of(ownRoom)); // one socket's rooms, from every thread
                    adapter.del(socketId, "shared");
                    adapter.del("one-socket", ownRoom);
                }
                adapter.addAll(socketId, Set.of("shared"));
                adapter.addAll("one-socket", Set.of(ownRoom));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<String> members = new ArrayList<>();
        List<String> ownRooms = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            members.add("member-" + t);
            ownRooms.add("room-" + t);
            assertThat(adapter.socketRooms("member-" + t)).containsExactly("shared");
        }
        assertThat(adapter.socketRooms("one-socket")).containsExactlyInAnyOrderElementsOf(ownRooms);
        for (String member : members) {
            adapter.del(member, "shared");
        }
        assertThat(adapter.rooms()).doesNotContain("shared");
        adapter.delAll("one-socket");
        assertThat(adapter.socketRooms("one-socket")).isNull();
        assertThat(adapter.rooms()).doesNotContainAnyElementsOf(ownRooms);
    }

    @Test
    void socketRoomsCannotBeModifiedByCallers() {
        for (int i = 0; i < 12; i++) { // small, then concurrent
            adapter.addAll("s", Set.of("r" + i));
            assertThatThrownBy(() -> adapter.socketRooms("s").add("x")).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
