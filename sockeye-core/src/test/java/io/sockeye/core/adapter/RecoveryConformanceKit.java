package io.sockeye.core.adapter;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.core.recovery.HistoryBudget;
import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.testkit.ManualClock;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.SessionClaim;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.SessionStore;
import io.sockeye.core.recovery.StreamPosition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The connection state recovery obligations of an adapter, run by every {@link AdapterConformanceKit}
 * subclass whose {@link ClusterNodeFactory#recovery()} claims support (and skipped, saying so, for
 * those that claim none). An adapter claiming recovery must, once {@link Adapter#recovery} returned its
 * backend:
 *
 * <ol>
 *   <li value="101"><b>Backend.</b> Provide a backend of the mode it claims (node-local or shared).</li>
 *   <li value="102"><b>Offsets.</b> Deliver every EVENT without ack id — to all, to rooms, to a socket
 *       id, volatile or not, from any node — with an offset of its stream as last argument, written with
 *       its sequence; events with an ack id carry none.</li>
 *   <li value="103"><b>Order.</b> Deliver each node's stream to every socket in strictly increasing
 *       sequence order, whatever the number of concurrent publishers and nodes.</li>
 *   <li value="104"><b>History.</b> Keep every non-volatile sequenced broadcast it publishes (even one
 *       nobody receives) and, node-local, every one for a room the node has a member in — a connected
 *       socket, or the id of a gone socket whose session the node keeps (it stays in its rooms, receiving
 *       nothing) — and return, after a position, exactly what a socket in given rooms is owed: in order,
 *       once each, without volatile or excepted ones, byte for byte as delivered.</li>
 *   <li value="105"><b>No silent gap.</b> Answer a read that reaches before the history's bounds with
 *       {@code PRUNED}, a position of another epoch with {@code OTHER_EPOCH}, and one beyond the head with
 *       {@code AHEAD}.</li>
 *   <li value="106"><b>Sessions.</b> Give a saved session to exactly one of concurrent claims, ignore
 *       writes of another incarnation, and never give out an expired one.</li>
 *   <li value="107"><b>Scope.</b> Node-local: each node has its own epoch, and its sessions are unknown
 *       to the other nodes. Shared: one broadcast has one offset on every node, and a session saved on
 *       one node is claimed on another.</li>
 *   <li value="108"><b>Offset answer.</b> Complete {@link Adapter#broadcastWithOffset} with the offset the
 *       broadcast was delivered with: on the sending node's sockets (node-local), on every node's (shared).</li>
 * </ol>
 */
public abstract class RecoveryConformanceKit extends ClusterFixture {

    private static final Pattern LAST_STRING = Pattern.compile(",\"([^\"]*)\"]$");
    private static final Duration WINDOW = Duration.ofMinutes(2);

    /** The clock of every recovery backend the kit starts: sessions and history age only when it moves. */
    protected final ManualClock clock = new ManualClock();
    private final HistoryBudget budget = new HistoryBudget(HistoryBounds.DEFAULT_MAX_BYTES);

    private void requireRecovery() {
        assumeTrue(recoveryMode() != ClusterNodeFactory.RecoveryMode.NONE,
                "the backend claims no connection state recovery (ClusterNodeFactory.recovery() is NONE)");
    }

    /** A cluster whose nodes have recovery on with {@code bounds}; skipped for backends that claim none. */
    protected final List<Node> recoveringCluster(int count, HistoryBounds bounds) {
        requireRecovery();
        int size = Math.min(count, maxNodes());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            RecoveryContext context = new RecoveryContext("/", ConnectionStateRecovery.of(WINDOW, true)
                    .withHistory(bounds).withClock(clock), budget, SockeyeMetrics.NOOP, Duration.ofSeconds(45),
                    options().scheduler());
            nodes.add(startNode("/", options(), context));
        }
        awaitServerCount(nodes, size);
        return nodes;
    }

    protected final List<Node> recoveringCluster(int count) {
        return recoveringCluster(count, HistoryBounds.defaults(WINDOW));
    }

    /** The last string argument of an event text (its offset, with recovery on), or null. */
    protected static String lastString(String text) {
        Matcher m = LAST_STRING.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** {@code text} without its offset argument. */
    protected static String withoutOffset(String text) {
        String offset = lastString(text);
        return offset == null ? text : text.substring(0, text.length() - offset.length() - 4) + "]";
    }

    /** Waits until every socket of {@code nodes} received {@code event} (offset or not) once. */
    protected final void awaitEverywhere(List<Node> nodes, String event) {
        String text = nodes.get(0).namespace.text(event);
        List<RecordingSocket> sockets = socketsOf(nodes);
        eventually(() -> assertThat(sockets).allSatisfy(s -> assertThat(
                s.texts().stream().filter(t -> withoutOffset(t).equals(text)).count()).isEqualTo(1)));
    }

    private static HistoryRead read(Node node, HistoryQuery query) {
        return node.recovery.history().read(query).join();
    }

    @Test @Order(101) @DisplayName("R101 the adapter provides a recovery backend of the mode it claims")
    void providesTheRecoveryBackendItClaims() {
        List<Node> nodes = recoveringCluster(1);
        assertThat(nodes.get(0).recovery).isNotNull();
        assertThat(nodes.get(0).recovery.isShared()).isEqualTo(recoveryMode() == ClusterNodeFactory.RecoveryMode.SHARED);
    }

    @Test @Order(102) @DisplayName("R102 every event without ack id carries an offset of its stream, on every node")
    void everyEventWithoutAckIdCarriesAnOffset() {
        List<Node> nodes = recoveringCluster(2);
        nodes.forEach(n -> n.connect(2));
        Node from = nodes.get(nodes.size() - 1);
        RecordingSocket target = nodes.get(0).connect();

        from.adapter.broadcast(event(from, "all", 1), BroadcastOptions.ALL);
        from.adapter.broadcast(event(from, "fleeting"), BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withVolatile(true)));
        from.adapter.broadcast(event(from, "direct"), BroadcastOptions.to(Set.of(target.id())));
        from.adapter.broadcastWithAck(event(from, "asked"), withTimeout(BroadcastOptions.ALL, Duration.ofSeconds(5)));
        from.adapter.broadcast(event(from, "done"), BroadcastOptions.ALL);
        awaitEverywhere(nodes, "done");

        for (Node node : nodes) {
            OffsetFormat format = node.recovery.history().offsetFormat();
            for (RecordingSocket socket : socketsOf(List.of(node))) {
                List<String> texts = socket.texts();
                for (String text : texts) {
                    if (text.matches("2\\d+\\[.*")) {
                        assertThat(text).as("an event with an ack id").endsWith("[\"asked\"]");
                    } else {
                        assertThat(format.parse(lastString(text))).as("offset of %s", text).isNotNull();
                    }
                }
                assertThat(texts).extracting(RecoveryConformanceKit::withoutOffset)
                        .contains("2[\"all\",1]", "2[\"fleeting\"]", "2[\"done\"]");
                assertThat(texts.stream().anyMatch(t -> withoutOffset(t).equals("2[\"direct\"]"))).isEqualTo(socket == target);
            }
        }
    }

    @Test @Order(103) @DisplayName("R103 each socket receives its node's stream in strictly increasing sequence order")
    void eachSocketReceivesTheStreamInOrder() throws Exception {
        List<Node> nodes = recoveringCluster(2);
        nodes.forEach(n -> n.connect(3));
        int publishers = 4;
        int each = 50;
        CompletableFuture<Void> go = new CompletableFuture<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Node from = nodes.get(p % nodes.size());
            int publisher = p;
            // Half the publishers run on a recipient's event loop, where a broadcast may write inline: it
            // must not overtake an earlier broadcast still queued on that loop.
            Executor thread = p % 2 == 0 ? socketsOf(List.of(from)).get(0).executor() : ForkJoinPool.commonPool();
            running.add(go.thenRunAsync(() -> {
                for (int i = 0; i < each; i++) {
                    from.adapter.broadcast(event(from, "m", publisher, i), BroadcastOptions.ALL);
                }
            }, thread));
        }
        go.complete(null);
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
        eventually(() -> assertThat(socketsOf(nodes)).allSatisfy(s -> assertThat(s.written()).hasSize(publishers * each)));

        for (Node node : nodes) {
            OffsetFormat format = node.recovery.history().offsetFormat();
            for (RecordingSocket socket : socketsOf(List.of(node))) {
                List<Long> sequences = socket.sequences();
                for (int i = 1; i < sequences.size(); i++) {
                    assertThat(sequences.get(i)).as("sequence %d of %s", i, socket).isGreaterThan(sequences.get(i - 1));
                }
                List<String> texts = socket.texts();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(format.parse(lastString(texts.get(i))).sequence()).isEqualTo(sequences.get(i));
                }
            }
        }
    }

    @Test @Order(104) @DisplayName("R104 the history returns exactly what a room missed, also for a gone member's rooms")
    void historyReturnsWhatARoomMissed() {
        List<Node> nodes = recoveringCluster(2);
        Node reader = nodes.get(0);
        Node from = nodes.get(nodes.size() - 1);
        nodes.forEach(n -> n.connect());
        RecordingSocket gone = reader.connect();
        reader.adapter.addAll(gone.id(), Set.of("r"));
        reader.adapter.broadcast(event(reader, "joined"), BroadcastOptions.ALL); // the join settled on every node
        awaitEverywhere(nodes, "joined");
        gone.vanish(); // its session is kept: still a member of r on this node, receiving nothing
        StreamPosition start = reader.recovery.history().head();

        from.adapter.broadcast(event(from, "for-r"), BroadcastOptions.to(Set.of("r")));
        from.adapter.broadcast(event(from, "volatile"), BroadcastOptions.to(Set.of("r"))
                .withFlags(BroadcastFlags.NONE.withVolatile(true)));
        from.adapter.broadcast(event(from, "excepted"), new BroadcastOptions(Set.of("r"), Set.of("banned"), null));
        from.adapter.broadcast(event(from, "elsewhere"), BroadcastOptions.to(Set.of("s")));
        from.adapter.broadcast(event(from, "to-nobody"), BroadcastOptions.to(Set.of("empty")));
        from.adapter.broadcast(event(from, "everyone"), BroadcastOptions.ALL);
        awaitEverywhere(nodes, "everyone");

        HistoryRead read = read(reader, new HistoryQuery(start, Map.of("r", 0L, "banned", 0L), true, 100));
        assertThat(read.status()).isEqualTo(HistoryRead.Status.OK);
        assertThat(read.entries()).extracting(e -> withoutOffset(e.packet().text()))
                .containsExactly("2[\"for-r\"]", "2[\"everyone\"]");
        HistoryEntry everyone = read.entries().get(1);
        String delivered = socketsOf(List.of(reader)).get(0).texts().stream()
                .filter(t -> withoutOffset(t).equals("2[\"everyone\"]")).findFirst().orElseThrow();
        assertThat(everyone.packet().text()).isEqualTo(delivered);
        assertThat(read.entries().get(0).sequence()).isLessThan(everyone.sequence());
        HistoryRead empty = read(from, HistoryQuery.room(start.sameEpoch(from.recovery.history().head())
                ? start : StreamPosition.start(from.recovery.history().head().epoch()), "empty", 10));
        assertThat(empty.entries()).extracting(e -> withoutOffset(e.packet().text())).containsExactly("2[\"to-nobody\"]");
    }

    @Test @Order(105) @DisplayName("R105 a read fails instead of leaving a gap: pruned, other epoch, ahead")
    void readFailsInsteadOfLeavingAGap() {
        List<Node> nodes = recoveringCluster(1, HistoryBounds.defaults(WINDOW).withMaxEntriesPerRoom(2));
        Node node = nodes.get(0);
        StreamPosition start = node.recovery.history().head();
        for (int i = 0; i < 3; i++) {
            node.adapter.broadcast(event(node, "m", i), BroadcastOptions.to(Set.of("r")));
        }
        node.connect();
        node.adapter.broadcast(event(node, "marker"), BroadcastOptions.ALL);
        awaitEverywhere(nodes, "marker");
        StreamPosition head = node.recovery.history().head();

        assertThat(read(node, HistoryQuery.room(start, "r", 10)).status()).isEqualTo(HistoryRead.Status.PRUNED);
        String otherEpoch = head.epoch().equals("00000000") ? "00000001" : "00000000";
        assertThat(read(node, HistoryQuery.room(new StreamPosition(otherEpoch, 0), "r", 10)).status())
                .isEqualTo(HistoryRead.Status.OTHER_EPOCH);
        assertThat(read(node, HistoryQuery.room(new StreamPosition(head.epoch(), head.sequence() + 1000), "r", 10)).status())
                .isEqualTo(HistoryRead.Status.AHEAD);
        assertThat(read(node, HistoryQuery.room(head, "r", 10)).entries()).isEmpty();
    }

    private static SessionRecord session(String pid, String incarnation, StreamPosition position) {
        return new SessionRecord(pid, "sid-" + pid, "/", Map.of("r", 0L), Map.of("user", "ada"), position, incarnation, 0);
    }

    @Test @Order(106) @DisplayName("R106 a session goes to exactly one claim; other incarnations and expiry are respected")
    void sessionsAreClaimedOnce() throws Exception {
        List<Node> nodes = recoveringCluster(2);
        SessionStore store = nodes.get(0).recovery.sessions();
        StreamPosition position = nodes.get(0).recovery.history().head();
        store.save(session("p1", "i1", position), Duration.ofMinutes(1)).get();
        int claimers = 6;
        CyclicBarrier start = new CyclicBarrier(claimers);
        List<CompletableFuture<SessionClaim>> claims = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            SessionStore claimer = nodes.get(i % nodes.size()).recovery.sessions(); // a node-local one only has it on node 0
            claims.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return claimer.claim("p1").join();
            }));
        }
        assertThat(claims.stream().map(CompletableFuture::join).filter(SessionClaim::claimed).count()).isEqualTo(1);

        store.save(session("p2", "new", position), Duration.ofMinutes(1)).get();
        assertThat(store.update(session("p2", "old", position), Duration.ofMinutes(1)).get()).isFalse();
        assertThat(store.delete("p2", "old").get()).isFalse();
        SessionClaim p2 = store.claim("p2").get();
        assertThat(p2.record()).isEqualTo(session("p2", "new", position));

        store.save(session("p3", "i", position), Duration.ofSeconds(10)).get();
        clock.advance(Duration.ofSeconds(11));
        assertThat(store.claim("p3").get().claimed()).isFalse();
    }

    @Test @Order(107) @DisplayName("R107 node-local streams and sessions are per node; shared ones are one for the cluster")
    void scopeOfStreamsAndSessions() throws Exception {
        requireNodes(2);
        List<Node> nodes = recoveringCluster(2);
        nodes.forEach(n -> n.connect());
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        a.adapter.broadcast(event(a, "one"), BroadcastOptions.ALL);
        awaitEverywhere(nodes, "one");
        String offsetOnA = lastString(socketsOf(List.of(a)).get(0).texts().get(0));
        String offsetOnB = lastString(socketsOf(List.of(b)).get(0).texts().get(0));
        a.recovery.sessions().save(session("p", "i", a.recovery.history().head()), Duration.ofMinutes(1)).get();

        SessionClaim onB = b.recovery.sessions().claim("p").get();

        if (recoveryMode() == ClusterNodeFactory.RecoveryMode.SHARED) {
            assertThat(offsetOnB).isEqualTo(offsetOnA);
            assertThat(onB.claimed()).isTrue();
        } else {
            assertThat(a.recovery.history().head().epoch()).isNotEqualTo(b.recovery.history().head().epoch());
            assertThat(offsetOnB).isNotEqualTo(offsetOnA);
            assertThat(onB.claimed()).isFalse();
            assertThat(a.recovery.sessions().claim("p").get().claimed()).isTrue();
        }
    }

    @Test @Order(108) @DisplayName("R108 broadcastWithOffset completes with the offset the broadcast was delivered with")
    void broadcastWithOffsetCompletesWithTheDeliveredOffset() {
        List<Node> nodes = recoveringCluster(2);
        nodes.forEach(n -> n.connect());
        Node from = nodes.get(nodes.size() - 1);
        String offset = from.adapter.broadcastWithOffset(event(from, "numbered"), BroadcastOptions.ALL)
                .orTimeout(10, TimeUnit.SECONDS).join();
        awaitEverywhere(nodes, "numbered");

        assertThat(from.recovery.history().offsetFormat().parse(offset)).as("offset %s", offset).isNotNull();
        List<Node> sameOffset = recoveryMode() == ClusterNodeFactory.RecoveryMode.SHARED ? nodes : List.of(from);
        assertThat(socketsOf(sameOffset)).allSatisfy(socket -> assertThat(socket.texts())
                .filteredOn(t -> withoutOffset(t).equals("2[\"numbered\"]"))
                .extracting(RecoveryConformanceKit::lastString).containsExactly(offset));
    }
}
