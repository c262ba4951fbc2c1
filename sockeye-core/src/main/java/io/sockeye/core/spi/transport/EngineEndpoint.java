package io.sockeye.core.spi.transport;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;

/**
 * The Engine.IO server as a transport drives it: it verifies requests, opens sessions and routes
 * long-polling requests and WebSocket connections to them. A {@code SocketIoServer} has one
 * ({@code io.engine()}); {@code EngineIo.endpoint(...)} makes a bare one without the Socket.IO layer.
 * The obligations on both sides are in the {@linkplain io.sockeye.core.spi.transport package
 * documentation}.
 */
public interface EngineEndpoint {

    /** The options: path, CORS, cookie, limits, allowed transports. */
    ServerOptions options();

    /**
     * Checks a request in engine.io's order: transport, origin, then either the session (with a sid)
     * or method, protocol version and the {@code allowRequest} hook (a handshake). Called once per
     * request on an Engine.IO path, before any other method for it. Counts refusals in the metrics.
     *
     * @param upgrade whether this is a WebSocket upgrade request
     * @return {@code null} when the request may proceed, else the answer to send
     */
    EngineError.Rejection verify(RequestInfo request, boolean upgrade);

    /**
     * Serves a verified long-polling request: a handshake (no sid), a GET poll or a POST. The
     * endpoint answers {@code exchange} exactly once, possibly later (a GET is parked until there is
     * something to send).
     *
     * @param body the POST body as UTF-8 text, {@code null} for a GET
     * @param loop the event loop of the request's connection; a new session is pinned to it
     */
    void handlePolling(RequestInfo request, String body, HttpExchange exchange, EventExecutor loop);

    /**
     * Opens a new session directly on WebSocket (a verified request without sid, whose handshake the
     * transport completed) on {@code channel}'s event loop.
     *
     * @param sid the new session's id, from {@link SessionIds#next()}
     * @return where the transport reports the connection's messages
     */
    WebSocketInbound openWebSocket(RequestInfo request, WebSocketChannel channel, String sid);

    /**
     * A WebSocket arrived for the existing session {@code sid} (a verified request with sid): its
     * upgrade from long-polling starts. When the session is gone the channel is closed and
     * {@code null} returned.
     */
    WebSocketInbound upgradeWebSocket(String sid, WebSocketChannel channel);

    /** Closes session {@code sid} if it exists (e.g. after an oversize or invalid request for it). */
    void closeSession(String sid, String reason);

    /** Number of open sessions. */
    int clientsCount();

    /** Number of open sessions currently on long-polling. */
    int pollingClientsCount();

    /** Closes every session with reason {@code forced close} and refuses new handshakes. Idempotent. */
    void close();
}
