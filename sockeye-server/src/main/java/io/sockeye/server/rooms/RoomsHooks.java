package io.sockeye.server.rooms;

import io.sockeye.server.auth.RoomGrants;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a gateway to the application's backends plugs into the rooms service (see {@code docs/proxy.md}):
 * who a connection is, whether a session goes on, whether a subscribe is allowed, what a publish becomes and
 * where it is forwarded, and the answer to an {@code rpc}. Each call answers later, on any thread, and never
 * blocks. A future that fails with {@link BackendRefusal} carries the backend's code and message to the
 * client; any other failure is answered {@code unavailable}. The defaults do nothing: {@link #NONE}.
 */
public interface RoomsHooks {

    RoomsHooks NONE = new RoomsHooks() {
    };

    /**
     * The connection a call is about, as backends see it.
     *
     * @param client    its id (the socket id)
     * @param transport {@code polling} or {@code websocket}, as it is now
     * @param user      its user id, or {@code null} when anonymous
     * @param meta      what the connect answer's {@code meta} held, or {@code null}
     * @param headers   the headers of the request that opened it (lower-case names)
     */
    record Caller(String client, String transport, String user, Object meta, Map<String, String> headers) {
    }

    /**
     * A new connection, before it joins the namespace.
     *
     * @param ip      the client's address
     * @param auth    the CONNECT packet's payload (the handshake {@code auth})
     */
    record ConnectAttempt(String client, String transport, String ip, Map<String, String> headers,
                          Map<String, Object> auth) {
    }

    /**
     * Who the backend says a new connection is.
     *
     * @param user      the user id, or {@code null} for an anonymous connection
     * @param grants    its room grants (never {@code null})
     * @param data      public data shown in presence, or {@code null}
     * @param meta      private data passed back to every later call, or {@code null}
     * @param expiresAt when the session ends unless refreshed, or {@code null} for never
     */
    record Admission(String user, RoomGrants grants, Object data, Object meta, Instant expiresAt) {
    }

    /** Whether {@link #connect} admits a connection instead of the JWT check. */
    default boolean admits(boolean sentToken) {
        return false;
    }

    default CompletableFuture<Admission> connect(ConnectAttempt attempt) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no connect hook"));
    }

    /** Whether the sessions {@link #connect} admitted are refreshed by {@link #refresh} when they expire. */
    default boolean refreshes() {
        return false;
    }

    /** Completes with the session's new end, or {@code null} for never. */
    default CompletableFuture<Instant> refresh(Caller caller) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no refresh hook"));
    }

    /** Whether a subscribe to {@code room} that no grant or rule decides goes to {@link #subscribe}. */
    default boolean authorizesSubscribe(String room) {
        return false;
    }

    /** Completes with data for the subscribe's ack ({@code null}: none) when allowed. */
    default CompletableFuture<Object> subscribe(Caller caller, String room, Object data) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no subscribe hook"));
    }

    /** Whether a publish to {@code room} no grant or rule decides may be allowed by {@link #publish}. */
    default boolean validatesPublish(String room) {
        return false;
    }

    /** Whether publishes to {@code room} go through {@link #publish} (validation or forwarding). */
    default boolean interceptsPublish(String room) {
        return false;
    }

    /**
     * Validates and forwards a publish before it is broadcast; completes with the data to broadcast
     * ({@code data} itself, or what the backend replaced it with), once every broker took it.
     *
     * @param id the message id the broadcast will carry
     */
    default CompletableFuture<Object> publish(Caller caller, String room, String event, Object data, String id) {
        return CompletableFuture.completedFuture(data);
    }

    /** Whether {@code rpc} requests are served. */
    default boolean servesRpc() {
        return false;
    }

    /** Completes with the rpc's result ({@code null} allowed). */
    default CompletableFuture<Object> rpc(Caller caller, String method, Object data, String id) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no rpc hook"));
    }
}
