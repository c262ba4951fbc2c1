package io.sockeye.server.gateway.proxy;

import io.netty.util.Timer;
import io.sockeye.server.auth.Glob;
import io.sockeye.server.auth.RoomGrants;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.gateway.GatewaySettings;
import io.sockeye.server.rooms.BackendRefusal;
import io.sockeye.server.rooms.RoomsHooks.Admission;
import io.sockeye.server.rooms.RoomsHooks.Caller;
import io.sockeye.server.rooms.RoomsHooks.ConnectAttempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The five proxies' JSON interface (documented in {@code docs/proxy.md}): the request bodies, each carrying
 * {@code client}, {@code transport}, {@code user} and {@code meta}, and the answers, checked before use. An
 * answer {@code {error: {code, message}}} becomes a {@link BackendRefusal}; an answer of another shape is
 * {@link ProxyFailure.Reason#INVALID_ANSWER} (the client gets {@code unavailable}).
 */
public final class Proxies {

    private static final Logger log = LoggerFactory.getLogger(Proxies.class);
    /** Longest backend error message passed to a client. */
    static final int MAX_MESSAGE_LENGTH = 500;
    private static final long GRANT_LOG_EVERY_NANOS = 10_000_000_000L;

    private final Map<ProxyKind, ProxyClient> clients = new EnumMap<>(ProxyKind.class);
    private final Map<ProxyKind, List<Glob>> scopes = new EnumMap<>(ProxyKind.class);
    private final GrantScope grantScope;
    private final GatewayMetrics metrics;
    private final AtomicLong grantLoggedAt = new AtomicLong(System.nanoTime() - GRANT_LOG_EVERY_NANOS);

    public Proxies(GatewaySettings settings, BackendConnections http, Timer timer, GatewayMetrics metrics) {
        this.metrics = metrics;
        settings.proxies().forEach((kind, s) -> {
            clients.put(kind, new ProxyClient(kind, s, settings.retries(), http, timer, metrics));
            scopes.put(kind, s.rooms().stream().map(Glob::compile).toList());
        });
        ProxySettings connect = settings.proxy(ProxyKind.CONNECT);
        this.grantScope = new GrantScope(connect == null ? List.of() : connect.rooms());
    }

    /** Whether the proxy of {@code kind} is configured. */
    public boolean has(ProxyKind kind) {
        return clients.containsKey(kind);
    }

    /** Whether requests about {@code room} go to the (configured) proxy of {@code kind}. */
    public boolean inScope(ProxyKind kind, String room) {
        List<Glob> scope = scopes.get(kind);
        if (scope == null) {
            return false;
        }
        for (Glob g : scope) {
            if (g.matches(room)) {
                return true;
            }
        }
        return false;
    }

    // ---- the five calls ---------------------------------------------------------------------------

    /** {@code {client, transport, ip, headers, auth, user: null, meta: null}} → who the connection is. */
    public CompletableFuture<Admission> connect(ConnectAttempt attempt) {
        ProxyClient client = clients.get(ProxyKind.CONNECT);
        Map<String, String> headers = client.passThrough(attempt.headers());
        Map<String, Object> body = base(attempt.client(), attempt.transport(), null, null);
        body.put("ip", attempt.ip());
        body.put("headers", headers);
        body.put("auth", attempt.auth());
        return client.call(body, attempt.client(), null, headers, answer -> {
            refusal(answer);
            if (!answer.containsKey("user")) {
                throw invalid("a connect answer needs user (a string, or null for an anonymous connection)");
            }
            Object user = answer.get("user");
            if (user != null && (!(user instanceof String s) || s.isEmpty())) {
                throw invalid("user must be a non-empty string or null");
            }
            RoomGrants grants;
            try {
                grants = clip(RoomGrants.fromClaim(answer.get("rooms")), attempt.client());
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            return new Admission((String) user, grants, answer.get("data"), answer.get("meta"), expireAt(answer));
        });
    }

    /** {@code {client, transport, user, meta}} → the session's new end. */
    public CompletableFuture<Instant> refresh(Caller caller) {
        return call(ProxyKind.REFRESH, caller, base(caller), answer -> {
            refusal(answer);
            if (!answer.containsKey("expire_at")) {
                throw invalid("a refresh answer needs expire_at (epoch seconds, or null for never)");
            }
            return expireAt(answer);
        });
    }

    /** {@code {client, transport, user, meta, room, data?}} → data for the ack ({@code null}: none). */
    public CompletableFuture<Object> subscribe(Caller caller, String room, Object data) {
        Map<String, Object> body = base(caller);
        body.put("room", room);
        if (data != null) {
            body.put("data", data);
        }
        return call(ProxyKind.SUBSCRIBE, caller, body, answer -> {
            refusal(answer);
            return answer.get("data");
        });
    }

    /** {@code {client, transport, user, meta, room, event, data}} → the data to broadcast. */
    public CompletableFuture<Object> publish(Caller caller, String room, String event, Object data) {
        Map<String, Object> body = base(caller);
        body.put("room", room);
        body.put("event", event);
        body.put("data", data);
        return call(ProxyKind.PUBLISH, caller, body, answer -> {
            refusal(answer);
            return answer.containsKey("data") ? answer.get("data") : data;
        });
    }

    /** {@code {client, transport, user, meta, method, data}} → the result. */
    public CompletableFuture<Object> rpc(Caller caller, String method, Object data) {
        Map<String, Object> body = base(caller);
        body.put("method", method);
        body.put("data", data);
        return call(ProxyKind.RPC, caller, body, answer -> {
            refusal(answer);
            return answer.get("result");
        });
    }

    // ---- shared ---------------------------------------------------------------------------------

    private <T> CompletableFuture<T> call(ProxyKind kind, Caller caller, Map<String, Object> body,
                                          java.util.function.Function<Map<String, Object>, T> reader) {
        ProxyClient client = clients.get(kind);
        return client.call(body, caller.client(), caller.user(), client.passThrough(caller.headers()), reader);
    }

    private static Map<String, Object> base(Caller caller) {
        return base(caller.client(), caller.transport(), caller.user(), caller.meta());
    }

    private static Map<String, Object> base(String client, String transport, String user, Object meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client", client);
        body.put("transport", transport);
        body.put("user", user);
        body.put("meta", meta);
        return body;
    }

    /** Throws the backend's {@code {error: {code, message}}} as a {@link BackendRefusal}. */
    static void refusal(Map<String, Object> answer) {
        Object error = answer.get("error");
        if (error == null) {
            return;
        }
        if (!(error instanceof Map<?, ?> e)) {
            throw invalid("error must be an object {code, message}");
        }
        Object code = e.get("code");
        String text = code instanceof String s ? s : code instanceof Number n ? n.toString() : null;
        if (text == null || text.isEmpty() || text.length() > 100) {
            throw invalid("error.code must be a string (1-100 characters) or a number");
        }
        Object message = e.get("message");
        String m = message instanceof String s ? s : text;
        throw new BackendRefusal(text, m.length() > MAX_MESSAGE_LENGTH ? m.substring(0, MAX_MESSAGE_LENGTH) : m);
    }

    private static Instant expireAt(Map<String, Object> answer) {
        Object value = answer.get("expire_at");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() > 1e11) {
            throw invalid("expire_at must be a time in epoch seconds");
        }
        return Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000));
    }

    /** The grants inside {@code proxy.connect.rooms}; the others are dropped, counted and logged. */
    private RoomGrants clip(RoomGrants grants, String client) {
        if (grants.isEmpty()) {
            return grants;
        }
        return new RoomGrants(inside(grants.subscribe(), client), inside(grants.publish(), client),
                inside(grants.presence(), client));
    }

    private List<String> inside(List<String> patterns, String client) {
        List<String> kept = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            if (grantScope.contains(p)) {
                kept.add(p);
                continue;
            }
            metrics.grantIgnored();
            long now = System.nanoTime();
            long last = grantLoggedAt.get();
            if (now - last >= GRANT_LOG_EVERY_NANOS && grantLoggedAt.compareAndSet(last, now)) {
                log.warn("connect proxy granted client {} the room pattern '{}', outside proxy.connect.rooms: ignored"
                        + " (logged at most every 10 s; sockeye_proxy_grants_ignored_total counts them all)", client, p);
            }
        }
        return kept;
    }

    static ProxyFailure invalid(String message) {
        return new ProxyFailure(ProxyFailure.Reason.INVALID_ANSWER, message);
    }
}
