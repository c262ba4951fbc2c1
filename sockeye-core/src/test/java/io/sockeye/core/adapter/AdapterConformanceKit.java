package io.sockeye.core.adapter;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link Adapter} must show, single-node or clustered. A backend subclasses this
 * class and implements {@link #nodes()}; the same tests then run against it (Vert.x's
 * {@code FakeClusterManager} pattern). Tests needing more nodes than the backend can form are skipped.
 *
 * <p>Nothing here sleeps: asynchronous outcomes are polled with a deadline, and "did not arrive" is
 * checked after a later marker broadcast from the same publisher did arrive.
 *
 * <p>The connection state recovery obligations (R101–R108) come from {@link RecoveryConformanceKit}; they
 * run when the backend's {@link ClusterNodeFactory#recovery()} claims support.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class AdapterConformanceKit extends RecoveryConformanceKit {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The timeout of the requests that must time out with the replies received: every reply but the
     * missing one has to arrive before it, also when a loaded machine pauses a JVM or a broker.
     */
    private static final Duration PARTIAL_TIMEOUT = Duration.ofSeconds(3);

    // ---- broadcast -------------------------------------------------------------------------------

    @Test @Order(1) @DisplayName("01 broadcast reaches every socket on every node exactly once")
    void broadcastReachesEverySocketOnEveryNodeOnce() {
        List<Node> nodes = cluster(3);
        nodes.forEach(n -> n.connect(3));

        nodes.get(0).adapter.broadcast(event(nodes.get(0), "news", 1), BroadcastOptions.ALL);
        flush(nodes.get(0), nodes);

        String text = nodes.get(0).namespace.text("news", 1);
        assertThat(socketsOf(nodes)).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(1));
    }

    @Test @Order(2) @DisplayName("02 a broadcast is encoded once per node and shared by its recipients")
    void broadcastIsEncodedOncePerNode() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(4));

        nodes.get(0).adapter.broadcast(event(nodes.get(0), "shared", "x"), BroadcastOptions.ALL);
        flush(nodes.get(0), nodes);

        for (Node node : nodes) {
            List<RecordingSocket> sockets = socketsOf(List.of(node));
            Object first = sockets.get(0).written().get(0);
            assertThat(sockets).allSatisfy(s -> assertThat(s.written().get(0)).isSameAs(first));
        }
    }

    @Test @Order(3) @DisplayName("03 rooms select the recipients on every node, each socket once")
    void roomsSelectRecipientsOnEveryNode() {
        List<Node> nodes = cluster(3);
        List<RecordingSocket> inR1 = new ArrayList<>();
        List<RecordingSocket> inBoth = new ArrayList<>();
        List<RecordingSocket> inNone = new ArrayList<>();
        for (Node node : nodes) {
            RecordingSocket a = node.connect();
            RecordingSocket b = node.connect();
            RecordingSocket c = node.connect();
            node.adapter.addAll(a.id(), Set.of("r1"));
            node.adapter.addAll(b.id(), Set.of("r1", "r2"));
            inR1.add(a);
            inBoth.add(b);
            inNone.add(c);
        }

        Node from = nodes.get(nodes.size() - 1);
        from.adapter.broadcast(event(from, "room-news"), BroadcastOptions.to(Set.of("r1", "r2")));
        flush(from, nodes);

        String text = nodes.get(0).namespace.text("room-news");
        assertThat(inR1).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(1));
        assertThat(inBoth).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(1));
        assertThat(inNone).allSatisfy(s -> assertThat(s.count(text)).isZero());
    }

    @Test @Order(4) @DisplayName("04 except wins over rooms, and excludes from an all-sockets broadcast")
    void exceptWinsOverRooms() {
        List<Node> nodes = cluster(3);
        List<RecordingSocket> onlyR1 = new ArrayList<>();
        List<RecordingSocket> r1AndR2 = new ArrayList<>();
        List<RecordingSocket> noRoom = new ArrayList<>();
        for (Node node : nodes) {
            RecordingSocket a = node.connect();
            RecordingSocket b = node.connect();
            noRoom.add(node.connect());
            node.adapter.addAll(a.id(), Set.of("r1"));
            node.adapter.addAll(b.id(), Set.of("r1", "r2"));
            onlyR1.add(a);
            r1AndR2.add(b);
        }
        Node from = nodes.get(0);

        from.adapter.broadcast(event(from, "to-r1"), new BroadcastOptions(Set.of("r1"), Set.of("r2"), null));
        from.adapter.broadcast(event(from, "to-all"), new BroadcastOptions(Set.of(), Set.of("r2"), null));
        flush(from, nodes);

        String toR1 = from.namespace.text("to-r1");
        String toAll = from.namespace.text("to-all");
        assertThat(onlyR1).allSatisfy(s -> assertThat(s.count(toR1)).isEqualTo(1));
        assertThat(r1AndR2).allSatisfy(s -> assertThat(s.count(toR1) + s.count(toAll)).isZero());
        assertThat(noRoom).allSatisfy(s -> {
            assertThat(s.count(toR1)).isZero();
            assertThat(s.count(toAll)).isEqualTo(1);
        });
    }

    @Test @Order(5) @DisplayName("05 a socket id is an implicit room, as target and as exclusion")
    void socketIdIsAnImplicitRoom() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(2));
        Node last = nodes.get(nodes.size() - 1);
        RecordingSocket target = last.connect();
        // Even a socket that left its own room is addressed by its id.
        last.adapter.del(target.id(), target.id());
        Node from = nodes.get(0);

        from.adapter.broadcast(event(from, "direct"), BroadcastOptions.to(Set.of(target.id())));
        from.adapter.broadcast(event(from, "but-one"), new BroadcastOptions(Set.of(), Set.of(target.id()), null));
        flush(from, nodes);

        String direct = from.namespace.text("direct");
        String butOne = from.namespace.text("but-one");
        for (RecordingSocket s : socketsOf(nodes)) {
            boolean isTarget = s == target;
            assertThat(s.count(direct)).as("direct to %s", s).isEqualTo(isTarget ? 1 : 0);
            assertThat(s.count(butOne)).as("all but target, to %s", s).isEqualTo(isTarget ? 0 : 1);
        }
    }

    @Test @Order(6) @DisplayName("06 a local broadcast never leaves its node")
    void localBroadcastStaysOnItsNode() {
        List<Node> nodes = cluster(3);
        nodes.forEach(n -> n.connect(2));
        Node from = nodes.get(0);

        from.adapter.broadcast(event(from, "local-only"),
                BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withLocal(true)));
        flush(from, nodes);

        String text = from.namespace.text("local-only");
        for (Node node : nodes) {
            long expected = node == from ? 1 : 0;
            assertThat(socketsOf(List.of(node))).allSatisfy(s -> assertThat(s.count(text)).isEqualTo(expected));
        }
    }

    @Test @Order(7) @DisplayName("07 a volatile broadcast skips sockets that are not writable")
    void volatileBroadcastSkipsUnwritableSockets() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(2));
        RecordingSocket slow = nodes.get(nodes.size() - 1).connect().writable(false);
        Node from = nodes.get(0);

        from.adapter.broadcast(event(from, "volatile"), BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withVolatile(true)));
        from.adapter.broadcast(event(from, "reliable"), BroadcastOptions.ALL);
        flush(from, nodes);

        String volatileText = from.namespace.text("volatile");
        String reliableText = from.namespace.text("reliable");
        for (RecordingSocket s : socketsOf(nodes)) {
            assertThat(s.count(volatileText)).isEqualTo(s == slow ? 0 : 1);
            assertThat(s.count(reliableText)).isEqualTo(1);
        }
    }

    // ---- broadcast with acks ---------------------------------------------------------------------

    @Test @Order(8) @DisplayName("08 broadcast with acks collects every client's reply across nodes")
    void broadcastWithAckCollectsEveryReply() {
        List<Node> nodes = cluster(3);
        nodes.forEach(n -> n.connect(2).forEach(s -> s.autoAck(me -> List.of(me.id()))));
        Node from = nodes.get(0);

        CompletableFuture<List<List<Object>>> replies =
                from.adapter.broadcastWithAck(event(from, "q", 1), withTimeout(BroadcastOptions.ALL, ACK_TIMEOUT));

        Set<String> expected = socketsOf(nodes).stream().map(RecordingSocket::id).collect(Collectors.toSet());
        assertThat(replies).succeedsWithin(AWAIT).satisfies(list -> {
            assertThat(list).hasSize(expected.size());
            assertThat(list).allSatisfy(args -> assertThat(args).hasSize(1));
            assertThat(list.stream().map(args -> args.get(0)).collect(Collectors.toSet())).isEqualTo(expected);
        });
    }

    @Test @Order(9) @DisplayName("09 broadcast with acks reports one client count per node")
    void broadcastWithAckReportsOneClientCountPerNode() {
        List<Node> nodes = cluster(3);
        int matched = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            node.connect(); // not in the room
            for (int j = 0; j <= i; j++) {
                RecordingSocket s = node.connect().autoAck(me -> List.of("ok", me.id()));
                node.adapter.addAll(s.id(), Set.of("quiz"));
                matched++;
            }
        }
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<List<Object>> acks = new CopyOnWriteArrayList<>();
        Node from = nodes.get(0);

        from.adapter.broadcastWithAck(event(from, "q"), withTimeout(BroadcastOptions.to(Set.of("quiz")), ACK_TIMEOUT),
                counts::add, acks::add);

        int total = matched;
        eventually(() -> {
            assertThat(counts).hasSize(nodes.size());
            assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
            assertThat(acks).hasSize(total);
        });
        // Across nodes only the first ack argument travels; locally all of them do.
        assertThat(acks).allSatisfy(args -> assertThat(args.get(0)).isEqualTo("ok"));
    }

    @Test @Order(10) @DisplayName("10 broadcast with acks times out with the replies received")
    void broadcastWithAckTimesOutWithPartialReplies() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(2).forEach(s -> s.autoAck(me -> List.of(me.id()))));
        RecordingSocket silent = nodes.get(nodes.size() - 1).connect(); // never answers
        Node from = nodes.get(0);

        CompletableFuture<List<List<Object>>> replies = from.adapter.broadcastWithAck(event(from, "q"),
                withTimeout(BroadcastOptions.ALL, PARTIAL_TIMEOUT));

        AdapterTimeoutException timeout = timeoutOf(replies);
        assertThat(timeout.partialResults()).hasSize(socketsOf(nodes).size() - 1);
        assertThat(timeout.missingResponses()).isEqualTo(1);
        assertThat(silent.written()).hasSize(1); // it was asked
    }

    @Test @Order(11) @DisplayName("11 a local broadcast with acks asks this node's clients only")
    void localBroadcastWithAckAsksThisNodeOnly() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(2).forEach(s -> s.autoAck(me -> List.of(me.id()))));
        Node from = nodes.get(0);
        BroadcastOptions local = new BroadcastOptions(Set.of(), Set.of(),
                BroadcastFlags.NONE.withLocal(true).withTimeout(ACK_TIMEOUT));

        CompletableFuture<List<List<Object>>> replies = from.adapter.broadcastWithAck(event(from, "q"), local);

        Set<Object> localIds = socketsOf(List.of(from)).stream().map(RecordingSocket::id).collect(Collectors.toSet());
        assertThat(replies).succeedsWithin(AWAIT)
                .satisfies(list -> assertThat(list.stream().map(a -> a.get(0)).collect(Collectors.toSet())).isEqualTo(localIds));
        flush(from, nodes);
        for (Node other : nodes.subList(1, nodes.size())) {
            assertThat(socketsOf(List.of(other))).allSatisfy(s -> assertThat(s.written()).hasSize(1)); // the flush only
        }
    }

    // ---- remote socket operations ----------------------------------------------------------------

    @Test @Order(12) @DisplayName("12 fetchSockets returns the matching sockets of every node with their details")
    void fetchSocketsReturnsMatchingSocketsOfEveryNode() {
        List<Node> nodes = cluster(3);
        Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            node.connect();
            RecordingSocket s = node.connect().data(Map.of("node", i));
            node.adapter.addAll(s.id(), Set.of("r1"));
            expected.add(s.id());
        }

        CompletableFuture<List<SocketDetails>> fetched = nodes.get(0).adapter.fetchSockets(BroadcastOptions.to(Set.of("r1")));

        assertThat(fetched).succeedsWithin(AWAIT).satisfies(list -> {
            assertThat(list.stream().map(SocketDetails::id).collect(Collectors.toSet())).isEqualTo(expected);
            assertThat(list).allSatisfy(d -> {
                assertThat(d.rooms()).containsExactlyInAnyOrder(d.id(), "r1");
                assertThat(d.data()).isInstanceOf(Map.class);
                assertThat(d.handshake()).isEqualTo(Map.of("auth", Map.of("token", "t-" + d.id()), "url", "/socket.io/?EIO=4"));
            });
        });
    }

    @Test @Order(13) @DisplayName("13 fetchSockets with the local flag returns this node's sockets only")
    void localFetchSocketsReturnsThisNodeOnly() {
        List<Node> nodes = cluster(2);
        nodes.forEach(n -> n.connect(2));
        Node from = nodes.get(0);

        CompletableFuture<List<SocketDetails>> fetched =
                from.adapter.fetchSockets(BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withLocal(true)));

        Set<String> localIds = socketsOf(List.of(from)).stream().map(RecordingSocket::id).collect(Collectors.toSet());
        assertThat(fetched).succeedsWithin(AWAIT)
                .satisfies(list -> assertThat(list.stream().map(SocketDetails::id).collect(Collectors.toSet())).isEqualTo(localIds));
    }

    @Test @Order(14) @DisplayName("14 addSockets and delSockets change the rooms of matching sockets on every node")
    void addSocketsAndDelSocketsWorkOnEveryNode() {
        List<Node> nodes = cluster(3);
        List<RecordingSocket> matched = new ArrayList<>();
        List<RecordingSocket> others = new ArrayList<>();
        for (Node node : nodes) {
            RecordingSocket s = node.connect();
            node.adapter.addAll(s.id(), Set.of("r1", "old"));
            matched.add(s);
            RecordingSocket o = node.connect();
            node.adapter.addAll(o.id(), Set.of("old"));
            others.add(o);
        }
        Node from = nodes.get(0);

        from.adapter.addSockets(BroadcastOptions.to(Set.of("r1")), Set.of("new1", "new2"));
        from.adapter.delSockets(BroadcastOptions.to(Set.of("r1")), Set.of("old"));

        eventually(() -> assertThat(matched).allSatisfy(s ->
                assertThat(s.rooms()).containsExactlyInAnyOrder(s.id(), "r1", "new1", "new2")));
        flush(from, nodes);
        assertThat(others).allSatisfy(s -> assertThat(s.rooms()).containsExactlyInAnyOrder(s.id(), "old"));
    }

    @Test @Order(15) @DisplayName("15 disconnectSockets disconnects matching sockets on every node")
    void disconnectSocketsDisconnectsMatchingSocketsOnEveryNode() {
        List<Node> nodes = cluster(3);
        List<RecordingSocket> doomed = new ArrayList<>();
        List<RecordingSocket> kept = new ArrayList<>();
        for (Node node : nodes) {
            RecordingSocket s = node.connect();
            node.adapter.addAll(s.id(), Set.of("doomed"));
            doomed.add(s);
            kept.add(node.connect());
        }
        Node from = nodes.get(0);

        from.adapter.disconnectSockets(BroadcastOptions.to(Set.of("doomed")), true);

        eventually(() -> assertThat(doomed).allSatisfy(s -> assertThat(s.disconnectedWithClose()).isTrue()));
        flush(from, nodes);
        assertThat(kept).allSatisfy(s -> assertThat(s.disconnectedWithClose()).isNull());
        for (Node node : nodes) {
            assertThat(node.adapter.rooms()).doesNotContain("doomed");
        }
    }

    // ---- server-side emit ------------------------------------------------------------------------

    @Test @Order(16) @DisplayName("16 serverSideEmit reaches every other node, not the sender")
    void serverSideEmitReachesEveryOtherNode() {
        List<Node> nodes = cluster(3);

        nodes.get(0).adapter.serverSideEmit(List.of("ping", 1));

        eventually(() -> assertThat(nodes.subList(1, nodes.size()))
                .allSatisfy(n -> assertThat(n.namespace.serverSideEmits()).containsExactly(List.of("ping", 1))));
        assertThat(nodes.get(0).namespace.serverSideEmits()).isEmpty();
    }

    @Test @Order(17) @DisplayName("17 serverSideEmitWithAck collects one reply per other node")
    void serverSideEmitWithAckCollectsOneReplyPerOtherNode() {
        List<Node> nodes = cluster(3);
        for (int i = 0; i < nodes.size(); i++) {
            String reply = "pong-" + i;
            nodes.get(i).namespace.replyToServerSideEmits(packet -> reply);
        }

        CompletableFuture<List<Object>> replies = nodes.get(0).adapter.serverSideEmitWithAck(List.of("ping"), null);

        List<Object> expected = new ArrayList<>();
        for (int i = 1; i < nodes.size(); i++) {
            expected.add("pong-" + i);
        }
        assertThat(replies).succeedsWithin(AWAIT)
                .satisfies(list -> assertThat(list).containsExactlyInAnyOrderElementsOf(expected));
    }

    @Test @Order(18) @DisplayName("18 serverSideEmitWithAck times out with the replies received")
    void serverSideEmitWithAckTimesOutWithPartialReplies() {
        requireNodes(3);
        List<Node> nodes = cluster(3);
        nodes.get(1).namespace.replyToServerSideEmits(packet -> "pong-1");
        // node 2 receives the emit but never answers

        CompletableFuture<List<Object>> replies =
                nodes.get(0).adapter.serverSideEmitWithAck(List.of("ping"), PARTIAL_TIMEOUT);

        AdapterTimeoutException timeout = timeoutOf(replies);
        assertThat(timeout.partialResults()).containsExactly("pong-1");
        assertThat(timeout.missingResponses()).isEqualTo(1);
        assertThat(nodes.get(2).namespace.serverSideEmits()).containsExactly(List.of("ping"));
    }

    // ---- nodes -----------------------------------------------------------------------------------

    @Test @Order(19) @DisplayName("19 serverCount counts every node, including one that joins later")
    void serverCountCountsEveryNode() {
        List<Node> nodes = new ArrayList<>(cluster(2));
        assertThat(nodes.get(0).serverCount()).isEqualTo(nodes.size());
        requireNodes(3);
        nodes.add(startNode("/", options()));

        awaitServerCount(nodes, 3);
    }

    @Test @Order(20) @DisplayName("20 a node that closes leaves serverCount at once")
    void closedNodeLeavesServerCount() {
        requireNodes(3);
        List<Node> nodes = cluster(3);

        assertThat(nodes.get(2).adapter.close()).succeedsWithin(AWAIT);

        awaitServerCount(nodes.subList(0, 2), 2);
    }

    @Test @Order(21) @DisplayName("21 a node that stops heartbeating leaves serverCount after the timeout")
    void silentNodeLeavesServerCount() {
        requireNodes(3);
        List<Node> nodes = cluster(3, "/", departureOptions());

        kill(nodes.get(2));

        awaitServerCount(nodes.subList(0, 2), 2);
    }

    @Test @Order(22) @DisplayName("22 a request stops waiting for a node that left")
    void requestStopsWaitingForANodeThatLeft() {
        requireNodes(3);
        List<Node> nodes = cluster(3, "/", departureOptions().withRequestsTimeout(Duration.ofMinutes(1)));
        nodes.forEach(n -> n.connect(1));
        Set<String> expected = socketsOf(nodes.subList(0, 2)).stream().map(RecordingSocket::id).collect(Collectors.toSet());

        kill(nodes.get(2));
        CompletableFuture<List<SocketDetails>> fetched = nodes.get(0).adapter.fetchSockets(BroadcastOptions.ALL);

        // Completes well before the one-minute timeout: the dead node is dropped from the request.
        assertThat(fetched).succeedsWithin(AWAIT)
                .satisfies(list -> assertThat(list.stream().map(SocketDetails::id).collect(Collectors.toSet())).isEqualTo(expected));
    }

    @Test @Order(23) @DisplayName("23 fetchSockets times out with the sockets received when a node is silent")
    void fetchSocketsTimesOutWithPartialResults() {
        requireNodes(3);
        ClusterAdapterOptions options = options();
        assumeTrue(options.heartbeatsEnabled(), "a silent but counted node needs heartbeat tracking");
        // A long node timeout keeps the killed node counted, so the request must time out.
        List<Node> nodes = cluster(3, "/", options.withHeartbeat(options.heartbeatInterval(), Duration.ofMinutes(1)));
        nodes.forEach(n -> n.connect(1));
        Set<String> reachable = socketsOf(nodes.subList(0, 2)).stream().map(RecordingSocket::id).collect(Collectors.toSet());

        kill(nodes.get(2));
        CompletableFuture<List<SocketDetails>> fetched =
                nodes.get(0).adapter.fetchSockets(withTimeout(BroadcastOptions.ALL, PARTIAL_TIMEOUT));

        AdapterTimeoutException timeout = timeoutOf(fetched);
        assertThat(timeout.partialResults().stream().map(d -> ((SocketDetails) d).id()).collect(Collectors.toSet()))
                .isEqualTo(reachable);
        assertThat(timeout.missingResponses()).isEqualTo(1);
    }

    @Test @Order(24) @DisplayName("24 namespaces are isolated on a shared cluster")
    void namespacesAreIsolated() {
        List<Node> main = cluster(2);
        List<Node> chat = cluster(2, "/chat", options());
        main.forEach(n -> n.connect(1));
        chat.forEach(n -> n.connect(1));

        main.get(0).adapter.broadcast(event(main.get(0), "main-only"), BroadcastOptions.ALL);
        main.get(0).adapter.serverSideEmit(List.of("main-ping"));
        flush(main.get(0), main);
        flush(chat.get(0), chat);

        assertThat(socketsOf(chat)).allSatisfy(s -> assertThat(s.written()).hasSize(1)); // their own flush
        assertThat(chat).allSatisfy(n -> assertThat(n.namespace.serverSideEmits()).isEmpty());
        assertThat(chat).allSatisfy(n -> assertThat(n.serverCount()).isEqualTo(chat.size()));
    }

    // ---- local room index ------------------------------------------------------------------------

    @Test @Order(25) @DisplayName("25 room operations are idempotent and rooms vanish when empty")
    void roomOperationsAreIdempotent() {
        Node node = cluster(1).get(0);
        RecordingSocket a = node.connect();
        RecordingSocket b = node.connect();

        node.adapter.addAll(a.id(), Set.of("r"));
        node.adapter.addAll(a.id(), Set.of("r"));
        node.adapter.addAll(b.id(), Set.of("r"));
        node.adapter.del(b.id(), "not-a-member");
        node.adapter.delAll("unknown-socket");
        assertThat(node.adapter.sockets(Set.of("r"))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(node.adapter.socketRooms(a.id())).containsExactlyInAnyOrder(a.id(), "r");

        node.adapter.del(a.id(), "r");
        node.adapter.del(a.id(), "r");
        assertThat(node.adapter.rooms()).contains("r");
        node.adapter.delAll(b.id());

        assertThat(node.adapter.rooms()).doesNotContain("r").contains(a.id()).doesNotContain(b.id());
        assertThat(node.adapter.socketRooms(b.id())).isNull();
        assertThat(node.adapter.socketRooms("unknown-socket")).isNull();
        assertThat(node.adapter.sockets(Set.of())).containsExactlyInAnyOrder(a.id(), b.id());
    }

    @Test @Order(26) @DisplayName("26 closing twice is harmless")
    void closeIsIdempotent() {
        Node node = cluster(1).get(0);

        assertThat(node.adapter.close()).succeedsWithin(AWAIT);
        assertThat(node.adapter.close()).succeedsWithin(AWAIT);
    }
}
