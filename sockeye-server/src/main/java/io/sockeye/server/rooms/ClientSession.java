package io.sockeye.server.rooms;

import io.sockeye.core.Socket;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.limits.ConnectionLimits;
import io.sockeye.server.limits.TokenBucket;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rooms service's state of one connection: who it is, until when its token is valid, its request
 * bucket and the rooms it subscribed to. Requests of one socket run one at a time, but the expiry
 * timer and the HTTP API read it from other threads, hence the locks.
 */
final class ClientSession {

    private final Socket socket;
    private final String user;
    private final String personalRoom;
    private final TokenBucket bucket;
    private final ConnectionLimits.Slot slot;
    private final long admittedAtMillis;
    private final Set<String> subscriptions = new LinkedHashSet<>();
    private final Object meta;
    private final boolean admittedByBackend;
    private volatile Principal principal;
    private volatile Instant expiresAt;
    private long expiryGeneration;
    private int limitedInARow;
    private boolean closed;
    private boolean kicked;

    ClientSession(Socket socket, Principal principal, Instant expiresAt, TokenBucket bucket,
                  ConnectionLimits.Slot slot, long admittedAtMillis) {
        this(socket, principal, expiresAt, bucket, slot, admittedAtMillis, null, false);
    }

    /**
     * @param meta              the connect backend's private data for later calls, or {@code null}
     * @param admittedByBackend whether the connect backend (not a JWT) admitted it: its expiry is then
     *                          refreshed by the refresh backend when there is one
     */
    ClientSession(Socket socket, Principal principal, Instant expiresAt, TokenBucket bucket,
                  ConnectionLimits.Slot slot, long admittedAtMillis, Object meta, boolean admittedByBackend) {
        this.meta = meta;
        this.admittedByBackend = admittedByBackend;
        this.socket = socket;
        this.principal = principal;
        this.user = principal.userId();
        this.personalRoom = user == null ? null : Names.personalRoom(user);
        this.expiresAt = expiresAt;
        this.bucket = bucket;
        this.slot = slot;
        this.admittedAtMillis = admittedAtMillis;
    }

    Socket socket() { return socket; }
    String id() { return socket.id(); }
    /** The user id ({@code sub}), or {@code null} for an anonymous connection. */
    String user() { return user; }
    String personalRoom() { return personalRoom; }
    Principal principal() { return principal; }
    Instant expiresAt() { return expiresAt; }
    long admittedAtMillis() { return admittedAtMillis; }
    Object meta() { return meta; }
    boolean admittedByBackend() { return admittedByBackend; }

    /** The connection as a backend sees it. */
    RoomsHooks.Caller caller() {
        return new RoomsHooks.Caller(socket.id(), socket.transport(), user, meta, socket.handshake().headers());
    }

    // ---- rate ---------------------------------------------------------------------------------

    /** Takes a request token; {@code false} when over the rate. */
    synchronized boolean tryRequest() {
        if (bucket.tryTake()) {
            limitedInARow = 0;
            return true;
        }
        limitedInARow++;
        return false;
    }

    /** Rate-limited requests in a row (reset by any accepted request). */
    synchronized int limitedInARow() {
        return limitedInARow;
    }

    // ---- token --------------------------------------------------------------------------------

    /** Replaces the token's principal and expiry; returns the new expiry generation. */
    synchronized long refreshed(Principal newPrincipal, Instant newExpiry) {
        principal = newPrincipal;
        expiresAt = newExpiry;
        return ++expiryGeneration;
    }

    synchronized long expiryGeneration() {
        return expiryGeneration;
    }

    // ---- rooms --------------------------------------------------------------------------------

    synchronized boolean isSubscribed(String room) {
        return subscriptions.contains(room);
    }

    synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    /** Whether the connection is in {@code room} for the presence tracker: a subscription or its personal room. */
    synchronized boolean isMember(String room) {
        return subscriptions.contains(room) || room.equals(personalRoom);
    }

    synchronized void addSubscription(String room) {
        subscriptions.add(room);
    }

    synchronized void removeSubscription(String room) {
        subscriptions.remove(room);
    }

    /**
     * Marks the session closed and returns the rooms it was a member of (subscriptions and personal
     * room), once; later calls return an empty list. Its connection slots are given back once its socket
     * is really gone: a client that stopped reading keeps counting against its address until then.
     */
    synchronized List<String> close() {
        if (closed) {
            return List.of();
        }
        closed = true;
        expiryGeneration++;
        socket.whenConnectionReleased(slot::release);
        Set<String> all = new LinkedHashSet<>(subscriptions);
        if (personalRoom != null) {
            all.add(personalRoom);
        }
        subscriptions.clear();
        return List.copyOf(all);
    }

    /** Whether the server is disconnecting it (true once, to the first caller). */
    synchronized boolean kick() {
        if (kicked || closed) {
            return false;
        }
        kicked = true;
        return true;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Gives back the connection slots of a session that never connected. */
    void abandon() {
        close();
    }
}
