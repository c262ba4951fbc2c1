package io.sockeye.core.adapter;

import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.protocol.socket.SocketPacket;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Rooms and broadcasting of one namespace, on this node and, for cluster adapters, across nodes
 * (socket.io-adapter's {@code Adapter}). One instance per namespace, made by an {@link AdapterFactory}.
 * {@link InMemoryAdapter} is the single-node default; {@link ClusterAdapter} is the base of every
 * multi-node backend.
 *
 * <p>Contract (obligations of every implementation):
 * <ol>
 *   <li><b>Threading.</b> Every method is thread-safe: it is called from many event loops at once.</li>
 *   <li><b>Must not block.</b> No method blocks or waits for the network; cluster work completes the
 *       returned futures later (on a bus or timer thread: callers must not block in callbacks either).</li>
 *   <li><b>Encode once.</b> A broadcast encodes its packet once; local writes are grouped per event
 *       loop (one task per loop, so each connection flushes once per batch), and every recipient on a
 *       loop gets the same {@link BroadcastPacket}, whose message that loop's task releases after its
 *       last recipient ({@link InMemoryAdapter} does all of this).</li>
 *   <li><b>Publish once.</b> A cluster adapter publishes a broadcast to its bus once; every other node
 *       resolves its own recipients. {@code flags.local} broadcasts and requests never cross the bus.</li>
 *   <li><b>Delivery.</b> Each matching socket gets a broadcast at most once, on every node.
 *       Broadcasts published by one node reach each other node in publish order.</li>
 *   <li><b>Room semantics</b> are those of {@link BroadcastOptions}, identical on every node.</li>
 *   <li><b>Idempotency.</b> Joining a room twice, leaving a room one is not in, {@code delAll} of an
 *       unknown socket and a second {@link #close()} are no-ops.</li>
 *   <li><b>Room views.</b> Local queries ({@link #socketRooms}, {@link #rooms}, {@link #sockets}) return
 *       immutable snapshots or weakly consistent unmodifiable views; never live mutable state.</li>
 *   <li><b>Recovery.</b> Once {@link #recovery} returned a backend, every EVENT without ack id that the
 *       adapter delivers locally — volatile or not, to rooms or to a socket id — carries its stream
 *       offset as last argument and its {@link BroadcastPacket#sequence() sequence};
 *       a node-local backend's history gets every such broadcast but volatile ones (even with no local
 *       recipient), and each event loop receives them in sequence order. See
 *       {@link io.sockeye.core.recovery.RecoveryBackend} for the two modes.</li>
 * </ol>
 */
public interface Adapter {

    /** Starts the adapter (cluster adapters subscribe to their bus and announce themselves). */
    CompletableFuture<Void> init();

    /** Stops the adapter (cluster adapters announce their departure and unsubscribe). Idempotent. */
    CompletableFuture<Void> close();

    // ---- local rooms -------------------------------------------------------------------------

    /** Adds the socket to the rooms (creating rooms as needed). */
    void addAll(String socketId, Set<String> rooms);

    /** Removes the socket from the room (deleting the room when it becomes empty). */
    void del(String socketId, String room);

    /** Removes the socket from all its rooms; called when it disconnects. */
    void delAll(String socketId);

    /** The rooms of a local socket, or {@code null} when the socket is unknown. */
    Set<String> socketRooms(String socketId);

    /** The names of the rooms that have at least one local member. */
    Set<String> rooms();

    /** The ids of the local sockets that {@code rooms} resolves to (empty = every known socket). */
    Set<String> sockets(Set<String> rooms);

    // ---- broadcasting ------------------------------------------------------------------------

    /**
     * Sends {@code packet} (an EVENT/BINARY_EVENT without ack id; its namespace is this adapter's) to
     * every socket matched by {@code opts}, here and, unless {@code flags.local}, on the other nodes.
     */
    void broadcast(SocketPacket packet, BroadcastOptions opts);

    /**
     * {@link #broadcast}, completing with the offset connection state recovery gave the broadcast: known
     * at once with node-local history (the default implementation reads it from the positioning this
     * thread just did); {@code null} when recovery is off, the packet takes no position, or the position
     * is assigned elsewhere (a shared store may override this to complete once its store answered).
     */
    default CompletableFuture<String> broadcastWithOffset(SocketPacket packet, BroadcastOptions opts) {
        RecoveryStream.clearLastOffset();
        try {
            broadcast(packet, opts);
        } catch (RuntimeException e) {
            RecoveryStream.clearLastOffset();
            throw e;
        }
        return CompletableFuture.completedFuture(RecoveryStream.takeLastOffset());
    }

    /**
     * Like {@link #broadcast} but each recipient is asked for an acknowledgement. Each node takes one
     * ack id from its namespace counter for all its recipients.
     *
     * <p>{@code clientCount} is called once per node that handled the broadcast (this node first, then
     * each remote node as its count arrives) with the number of its recipients; {@code ack} is called
     * once per client reply. Locally a reply carries all the client's ack arguments; from another node
     * only the first argument travels (socket.io's wire format carries one value). Callbacks arriving
     * after {@code flags.timeout} are dropped; completion is the caller's business — see
     * {@link #broadcastWithAck(SocketPacket, BroadcastOptions)} for the ready-made version.
     *
     * @throws IllegalArgumentException when {@code opts.flags().timeout()} is not set
     */
    void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                          Consumer<List<Object>> ack);

    /**
     * Broadcast with acks, collected: completes with one entry per client reply once every node
     * counted and every counted client replied; on {@code flags.timeout} fails with
     * {@link AdapterTimeoutException} whose {@code partialResults()} are the replies received.
     */
    default CompletableFuture<List<List<Object>>> broadcastWithAck(SocketPacket packet, BroadcastOptions opts) {
        Duration timeout = opts.flags().timeout();
        if (timeout == null) {
            throw new IllegalArgumentException("broadcastWithAck needs flags.timeout");
        }
        CompletableFuture<Integer> servers = opts.flags().local()
                ? CompletableFuture.completedFuture(1) : serverCount();
        return servers.thenCompose(count -> {
            BroadcastAckCollector collector = new BroadcastAckCollector(count, timeout);
            broadcastWithAck(packet, opts, collector::onClientCount, collector::onAck);
            return collector.result();
        });
    }

    // ---- remote-capable socket operations ----------------------------------------------------

    /**
     * The sockets matched by {@code opts} on every node (this node's only with {@code flags.local}).
     * Waits at most {@code flags.timeout}, else the cluster adapter's request timeout; see
     * {@link AdapterTimeoutException} for what happens then.
     */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts);

    /** Makes the matched sockets, on every node, join {@code rooms} ({@code io.socketsJoin}). */
    void addSockets(BroadcastOptions opts, Set<String> rooms);

    /** Makes the matched sockets, on every node, leave {@code rooms} ({@code io.socketsLeave}). */
    void delSockets(BroadcastOptions opts, Set<String> rooms);

    /** Disconnects the matched sockets on every node; with {@code close}, closes their connections. */
    void disconnectSockets(BroadcastOptions opts, boolean close);

    // ---- server-to-server --------------------------------------------------------------------

    /** Sends {@code [event, ...args]} to the <em>other</em> nodes' namespaces; a no-op on a single node. */
    void serverSideEmit(List<Object> packet);

    /**
     * Sends {@code [event, ...args]} to the other nodes and completes with one reply per node (empty on
     * a single node). {@code timeout} null means the adapter's request timeout; on timeout fails with
     * {@link AdapterTimeoutException} carrying the replies received.
     */
    CompletableFuture<List<Object>> serverSideEmitWithAck(List<Object> packet, Duration timeout);

    /** The number of nodes serving this namespace, this one included. */
    CompletableFuture<Integer> serverCount();

    // ---- connection state recovery ------------------------------------------------------------

    /**
     * The stores connection state recovery uses for this namespace, or {@code null} when this adapter
     * cannot support recovery (the namespace then runs without it: no {@code pid}, no offsets).
     * Called once, before {@link #init()}, and only when the server has recovery on. From then on the
     * adapter delivers every EVENT without ack id through the backend's stream (obligation 9).
     * {@link InMemoryAdapter} answers with node-local in-memory stores, and so does every
     * {@link ClusterAdapter} unless its backend provides shared ones.
     */
    default RecoveryBackend recovery(RecoveryContext context) {
        return null;
    }
}
