package io.sockeye.core.engine;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.AllowRequest;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.metrics.ServerGauges;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.HttpExchange;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WebSocketInbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The Engine.IO endpoint: verifies requests, opens sessions and routes polling requests and WebSocket
 * connections to them. Transport-agnostic; the transport calls in from its event loops.
 */
final class EngineEndpointImpl implements EngineEndpoint {

    private static final Logger log = LoggerFactory.getLogger(EngineEndpointImpl.class);

    private static final String SHUTTING_DOWN = "Server is shutting down";

    private final ServerOptions options;
    private final Consumer<EngineSocket> onConnection;
    private final EngineTimer timer;
    private final SockeyeMetrics metrics;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final ServerGauges gauges = new ServerGauges() {
        @Override
        public long bufferedBytes() {
            long total = 0;
            for (EngineSession s : sessions.values()) {
                total += s.bufferedBytesForMetrics();
            }
            return total;
        }

        @Override
        public long timerPendingTimeouts() {
            return timer.pendingTimeouts();
        }
    };
    private volatile boolean closed;

    EngineEndpointImpl(ServerOptions options, Consumer<EngineSocket> onConnection, EngineTimer timer) {
        this.options = options;
        this.onConnection = onConnection;
        this.timer = timer;
        this.metrics = options.metrics();
        metrics.addGauges(gauges);
    }

    @Override
    public ServerOptions options() {
        return options;
    }

    EngineTimer timer() {
        return timer;
    }

    SockeyeMetrics metrics() {
        return metrics;
    }

    @Override
    public int clientsCount() {
        return sessions.size();
    }

    @Override
    public int pollingClientsCount() {
        int n = 0;
        for (EngineSession s : sessions.values()) {
            if (s.transport() instanceof PollingTransport) {
                n++;
            }
        }
        return n;
    }

    @Override
    public EngineError.Rejection verify(RequestInfo req, boolean upgrade) {
        EngineError.Rejection rejection = check(req, upgrade);
        if (rejection != null) {
            String reason = rejection.error() == EngineError.BAD_REQUEST && SHUTTING_DOWN.equals(rejection.message())
                    ? "shutting_down" : rejection.error().key();
            metrics.requestRejected(reason, req.queryParam("sid") == null);
        }
        return rejection;
    }

    private EngineError.Rejection check(RequestInfo req, boolean upgrade) {
        String transport = req.queryParam("transport");
        if (transport == null || !options.transportAllowed(transport)) {
            return new EngineError.Rejection(EngineError.UNKNOWN_TRANSPORT);
        }
        String origin = req.origin();
        if (origin != null && hasInvalidHeaderChar(origin)) {
            return new EngineError.Rejection(EngineError.BAD_REQUEST);
        }
        String sid = req.queryParam("sid");
        if (sid != null) {
            EngineSession session = sessions.get(sid);
            if (session == null) {
                return new EngineError.Rejection(EngineError.UNKNOWN_SID);
            }
            if (!upgrade && !session.transportName().equals(transport)) {
                return new EngineError.Rejection(EngineError.BAD_REQUEST, "Bad request");
            }
            return null;
        }
        if (!"GET".equals(req.method())) {
            return new EngineError.Rejection(EngineError.BAD_HANDSHAKE_METHOD);
        }
        if ("websocket".equals(transport) && !upgrade) {
            return new EngineError.Rejection(EngineError.BAD_REQUEST);
        }
        // Anything but EIO=4 would be v3, which this server does not speak.
        if (!"4".equals(req.queryParam("EIO"))) {
            return new EngineError.Rejection(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        }
        AllowRequest hook = options.allowRequest();
        if (hook != null) {
            String denied;
            try {
                denied = hook.check(req);
            } catch (RuntimeException e) {
                log.warn("allowRequest hook failed; rejecting the handshake", e);
                denied = "Forbidden";
            }
            if (denied != null) {
                return new EngineError.Rejection(EngineError.FORBIDDEN, denied);
            }
        }
        if (closed) {
            return new EngineError.Rejection(EngineError.BAD_REQUEST, SHUTTING_DOWN);
        }
        return null;
    }

    private static boolean hasInvalidHeaderChar(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handlePolling(RequestInfo req, String body, HttpExchange exchange, EventExecutor loop) {
        String sid = req.queryParam("sid");
        if (sid == null) {
            handshakePolling(req, exchange, loop);
            return;
        }
        EngineSession session = sessions.get(sid);
        if (session == null) {
            exchange.sendError(new EngineError.Rejection(EngineError.UNKNOWN_SID));
            return;
        }
        session.executor().execute(() -> {
            // A poll after the pong deadline means the client never answered; a POST may carry the late
            // pong itself, so only the timer judges it.
            boolean overdue = body == null && session.expireIfPongOverdue();
            if (overdue || session.closed() || !(session.transport() instanceof PollingTransport polling)) {
                exchange.sendError(new EngineError.Rejection(
                        session.closed() ? EngineError.UNKNOWN_SID : EngineError.BAD_REQUEST));
                return;
            }
            if (body == null) {
                polling.onGet(exchange);
            } else {
                polling.onPost(body, exchange);
            }
        });
    }

    private void handshakePolling(RequestInfo req, HttpExchange exchange, EventExecutor loop) {
        PollingTransport polling = new PollingTransport();
        EngineSession session = newSession(SessionIds.next(), req, loop, polling);
        loop.execute(() -> {
            session.open(true);
            // The handshake GET is the session's first poll: it carries the open packet.
            polling.onGet(new HandshakeExchange(exchange, session.id()));
            onConnection.accept(session);
        });
    }

    @Override
    public WebSocketInbound openWebSocket(RequestInfo req, WebSocketChannel channel, String sid) {
        WebSocketTransport ws = new WebSocketTransport(channel);
        EngineSession session = newSession(sid, req, channel.executor(), ws);
        channel.executor().execute(() -> {
            session.open(false);
            onConnection.accept(session);
        });
        return ws;
    }

    @Override
    public WebSocketInbound upgradeWebSocket(String sid, WebSocketChannel channel) {
        EngineSession session = sessions.get(sid);
        if (session == null) {
            channel.close();
            return null;
        }
        WebSocketTransport ws = new WebSocketTransport(channel);
        ws.attach(session);
        session.executor().execute(() -> session.onUpgradeRequest(ws));
        return ws;
    }

    private EngineSession newSession(String id, RequestInfo req, EventExecutor loop, Transport transport) {
        EngineSession session = new EngineSession(this, id, loop, req, transport);
        sessions.put(id, session);
        metrics.sessionOpened(transport.name(), loop);
        return session;
    }

    @Override
    public void closeSession(String sid, String reason) {
        EngineSession session = sid != null ? sessions.get(sid) : null;
        if (session != null) {
            session.closeNow(reason);
        }
    }

    void remove(EngineSession session) {
        sessions.remove(session.id(), session);
    }

    void onUpgraded(EngineSession session) {
        log.debug("session {} upgraded to websocket", session.id());
        metrics.sessionUpgraded("polling", "websocket");
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        metrics.removeGauges(gauges);
        for (EngineSession s : new ArrayList<>(sessions.values())) {
            try {
                s.close("forced close");
            } catch (RejectedExecutionException e) {
                // Its event loop is already gone (shut down before the server): the others still close.
                log.debug("session {} not closed: its event loop is shut down", s.id());
            }
        }
    }

    /** Wraps the handshake GET so its response carries the sticky cookie. */
    private record HandshakeExchange(HttpExchange delegate, String sid) implements HttpExchange {
        @Override
        public void sendPayload(String payload) {
            delegate.sendHandshake(payload, sid);
        }

        @Override
        public void sendHandshake(String payload, String sid) {
            delegate.sendHandshake(payload, sid);
        }

        @Override
        public void sendOk() {
            delegate.sendOk();
        }

        @Override
        public void sendError(EngineError.Rejection rejection) {
            delegate.sendError(rejection);
        }

        @Override
        public void sendStatus(int status) {
            delegate.sendStatus(status);
        }

        @Override
        public void whenAborted(Runnable onClose) {
            delegate.whenAborted(onClose);
        }
    }
}
