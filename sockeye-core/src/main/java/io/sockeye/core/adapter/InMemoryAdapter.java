package io.sockeye.core.adapter;

import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The single-node adapter (socket.io-adapter's in-memory {@code Adapter}): two concurrent indexes,
 * room → socket ids and socket id → rooms, and local fan-out. Also the base of {@link ClusterAdapter},
 * which adds the bus and calls back into the local operations here.
 *
 * <p>Thread-safety: the indexes are concurrent maps whose per-room updates are atomic
 * ({@code compute}), so a room is created on first join and deleted on last leave exactly once even
 * when sockets of different event loops join and leave it at the same time. Small sets (a socket's
 * own room, a socket's few rooms) are immutable and replaced inside {@code compute}; large ones are
 * concurrent (see {@code MemberSets}): an idle socket costs bytes, not kilobytes. Broadcasts iterate weakly
 * consistent views: a socket joining during a broadcast may or may not receive it.
 */
public class InMemoryAdapter implements Adapter {

    /** The namespace this adapter serves. */
    protected final NamespaceContext namespace;

    private final ConcurrentHashMap<String, Set<String>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> sids = new ConcurrentHashMap<>();
    private volatile RecoveryStream recovery; // set once, before init, when the server has recovery on

    public InMemoryAdapter(NamespaceContext namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /** The namespace this adapter serves. */
    public NamespaceContext namespace() {
        return namespace;
    }

    @Override
    public CompletableFuture<Void> init() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> close() {
        closeRecovery();
        return CompletableFuture.completedFuture(null);
    }

    // ---- connection state recovery -----------------------------------------------------------

    @Override
    public RecoveryBackend recovery(RecoveryContext context) {
        RecoveryBackend backend = newRecoveryBackend(context);
        if (backend != null) {
            recovery = new RecoveryStream(backend);
        }
        return backend;
    }

    /**
     * The stores behind {@link #recovery}: node-local in-memory ones ({@link RecoveryBackend#inMemory}).
     * A backend with a shared store returns {@link RecoveryBackend#shared} instead; {@code null}
     * declines recovery.
     */
    protected RecoveryBackend newRecoveryBackend(RecoveryContext context) {
        return RecoveryBackend.inMemory(context);
    }

    /** The recovery stream, or {@code null} while recovery is off. */
    final RecoveryStream recoveryStream() {
        return recovery;
    }

    /** Closes the recovery stores, if any. Idempotent. */
    final void closeRecovery() {
        RecoveryStream stream = recovery;
        if (stream != null) {
            stream.backend().close();
        }
    }

    // ---- rooms -------------------------------------------------------------------------------

    @Override
    public void addAll(String socketId, Set<String> roomsToJoin) {
        for (String room : roomsToJoin) {
            boolean[] joined = {false};
            sids.compute(socketId, (id, mine) -> {
                joined[0] = mine == null || !mine.contains(room);
                return MemberSets.plus(mine, room);
            });
            if (!joined[0]) {
                continue; // already a member: joining twice is a no-op
            }
            boolean[] created = {false};
            rooms.compute(room, (name, members) -> {
                created[0] = members == null;
                return MemberSets.plus(members, socketId);
            });
            if (created[0]) {
                onRoomCreated(room);
            }
        }
    }

    @Override
    public void del(String socketId, String room) {
        boolean[] left = {false};
        sids.computeIfPresent(socketId, (id, mine) -> {
            left[0] = mine.contains(room);
            return MemberSets.minus(mine, room);
        });
        if (left[0]) {
            removeFromRoom(room, socketId);
        }
    }

    @Override
    public void delAll(String socketId) {
        Set<String> mine = sids.remove(socketId);
        if (mine != null) {
            for (String room : mine) {
                removeFromRoom(room, socketId);
            }
        }
    }

    private void removeFromRoom(String room, String socketId) {
        boolean[] deleted = {false};
        rooms.computeIfPresent(room, (name, members) -> {
            Set<String> remaining = MemberSets.minus(members, socketId);
            deleted[0] = remaining == null;
            return remaining;
        });
        if (deleted[0]) {
            onRoomDeleted(room);
        }
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        Set<String> mine = sids.get(socketId);
        return mine == null ? null : MemberSets.readOnly(mine);
    }

    @Override
    public Set<String> rooms() {
        return Collections.unmodifiableSet(rooms.keySet());
    }

    @Override
    public Set<String> sockets(Set<String> targetRooms) {
        Set<String> ids = new HashSet<>();
        forEachRecipient(BroadcastOptions.to(targetRooms), socket -> ids.add(socket.id()));
        return Collections.unmodifiableSet(ids);
    }

    /**
     * Called after the first socket joined {@code room} (a backend subscribing per room, such as the
     * Redis sharded "dynamic" mode, hooks in here). May run concurrently with other room hooks.
     */
    protected void onRoomCreated(String room) {
    }

    /** Called after the last socket left {@code room}. May run concurrently with other room hooks. */
    protected void onRoomDeleted(String room) {
    }

    // ---- local recipients --------------------------------------------------------------------

    /**
     * Calls {@code action} once for each connected local socket matched by {@code opts} (rules in
     * {@link BroadcastOptions}), on the calling thread.
     */
    protected void forEachRecipient(BroadcastOptions opts, Consumer<LocalSocket> action) {
        Set<String> excluded = excludedIds(opts.except());
        if (opts.rooms().isEmpty()) {
            for (LocalSocket socket : namespace.sockets()) {
                if (!excluded.contains(socket.id())) {
                    action.accept(socket);
                }
            }
            return;
        }
        // A socket in several target rooms is counted once; one room needs no bookkeeping.
        Set<String> seen = opts.rooms().size() > 1 ? new HashSet<>() : null;
        for (String room : opts.rooms()) {
            Set<String> members = rooms.get(room);
            if (members == null) {
                // Rule 3: a socket id is an implicit room, even if the socket never joined it.
                members = namespace.socket(room) != null ? Set.of(room) : Set.of();
            }
            for (String id : members) {
                if (excluded.contains(id) || (seen != null && !seen.add(id))) {
                    continue;
                }
                LocalSocket socket = namespace.socket(id);
                if (socket != null) {
                    action.accept(socket);
                }
            }
        }
    }

    private Set<String> excludedIds(Set<String> except) {
        if (except.isEmpty()) {
            return Set.of();
        }
        // The except names themselves are included so that a socket id excludes that socket (rule 3).
        Set<String> ids = new HashSet<>(except);
        for (String room : except) {
            Set<String> members = rooms.get(room);
            if (members != null) {
                ids.addAll(members);
            }
        }
        return ids;
    }

    /** The local recipients of {@code opts}, grouped by event loop. */
    final LocalFanout localRecipients(BroadcastOptions opts) {
        LocalFanout fanout = new LocalFanout(namespace);
        forEachRecipient(opts, fanout::add);
        return fanout;
    }

    // ---- broadcasting ------------------------------------------------------------------------

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        RecoveryStream stream = recovery;
        if (stream != null && stream.backend().localHistory() != null && RecoveryStream.sequenced(packet)) {
            // Numbered and kept even without a local recipient: a disconnected session may be owed it.
            SocketPacket sent = inThisNamespace(packet, packet.id());
            stream.broadcast(sent, namespace.encoder().encode(sent), opts, this::localRecipients);
            return;
        }
        LocalFanout recipients = localRecipients(opts);
        if (recipients.size() == 0) {
            return; // nothing to encode
        }
        SocketPacket sent = inThisNamespace(packet, packet.id());
        boolean isVolatile = opts.flags().isVolatile();
        recipients.broadcast(sent, (socket, loopPacket) -> socket.write(loopPacket, isVolatile));
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, IntConsumer clientCount,
                                 Consumer<List<Object>> ack) {
        Duration timeout = requireTimeout(opts);
        LocalFanout recipients = localRecipients(opts);
        if (recipients.size() > 0) {
            // One id for the whole broadcast, shared by every recipient, as socket.io does.
            long ackId = namespace.nextAckId();
            SocketPacket sent = inThisNamespace(packet, ackId);
            boolean isVolatile = opts.flags().isVolatile();
            recipients.broadcast(sent, (socket, loopPacket) -> {
                socket.expectAck(ackId, timeout, ack);
                socket.write(loopPacket, isVolatile);
            });
        }
        clientCount.accept(recipients.size());
    }

    static Duration requireTimeout(BroadcastOptions opts) {
        Duration timeout = opts.flags().timeout();
        if (timeout == null) {
            throw new IllegalArgumentException("broadcastWithAck needs flags.timeout");
        }
        return timeout;
    }

    final SocketPacket inThisNamespace(SocketPacket packet, long ackId) {
        if (packet.nsp().equals(namespace.name()) && packet.id() == ackId) {
            return packet;
        }
        return new SocketPacket(packet.type(), namespace.name(), ackId, packet.data());
    }

    // ---- socket operations -------------------------------------------------------------------

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        return CompletableFuture.completedFuture(fetchLocalSockets(opts));
    }

    /** The details of the local sockets matched by {@code opts}. */
    protected final List<SocketDetails> fetchLocalSockets(BroadcastOptions opts) {
        List<SocketDetails> details = new ArrayList<>();
        forEachRecipient(opts, socket -> {
            Set<String> socketRooms = sids.get(socket.id());
            details.add(new SocketDetails(socket.id(), socket.handshake(),
                    socketRooms == null ? Set.of() : MemberSets.readOnly(socketRooms), socket.data()));
        });
        return details;
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> roomsToJoin) {
        Set<String> copy = Set.copyOf(roomsToJoin);
        localRecipients(opts).run(socket -> socket.join(copy));
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> roomsToLeave) {
        Set<String> copy = Set.copyOf(roomsToLeave);
        localRecipients(opts).run(socket -> copy.forEach(socket::leave));
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        localRecipients(opts).run(socket -> socket.disconnect(close));
    }

    // ---- single node: no other servers -------------------------------------------------------

    @Override
    public void serverSideEmit(List<Object> packet) {
        // No other node to tell.
    }

    @Override
    public CompletableFuture<List<Object>> serverSideEmitWithAck(List<Object> packet, Duration timeout) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1);
    }
}
