package io.sockeye.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.SocketIoServer;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.metrics.MetricsSample;
import io.sockeye.server.rooms.RoomsException;
import io.sockeye.server.rooms.RoomsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The live dashboard at {@code /admin/}, behind a password login:
 *
 * <pre>
 * GET  /admin/login, style.css  the login form and its style (the only files served without a session)
 * POST /admin/login             password=... → session cookie (HttpOnly, SameSite=Strict, Path=/admin) → /admin/;
 *                               a wrong one → 401 with the form again; refused by the {@link AdminLogin}
 *                               throttle (shared with the Admin UI) → 429 until its minute ends
 * POST /admin/logout            forgets the session
 * GET  /admin/  app.js  style.css  vendor/chart.umd.js    the page, its script, Chart.js from its WebJar
 * GET  /admin/api/stats         the plotted numbers, once a second ({@link DashboardStats}); "nodes" holds
 *                               one series per node of the cluster ({@link ClusterSeries})
 * GET  /admin/api/rooms?q=      rooms with member counts (cluster-wide through the rooms service)
 * GET  /admin/api/users?q=      this node's connections grouped by user: transport, address
 * POST /admin/api/disconnect    {"user": ...} or {"socket": id}
 * POST /admin/api/publish       {"room", "event", "data"} through the rooms service
 * </pre>
 *
 * Without a session, pages redirect to the login form and {@code /admin/api/*} answers 401. The
 * POSTs of the API take only {@code application/json}, which a cross-site form cannot send; with the
 * SameSite cookie that keeps other sites from driving the actions.
 */
public final class AdminDashboard implements HttpFeature, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminDashboard.class);

    static final String PREFIX = "/admin";
    static final String COOKIE = "sockeye_admin";

    private final AdminLogin login;
    private final boolean ownsLogin;
    private final AdminSessions sessions;
    private final DashboardStats stats;
    private final DashboardData data;
    private final ClusterSeries cluster;
    private final DashboardFiles files = new DashboardFiles();
    private final ObjectMapper json = new ObjectMapper();
    private final Supplier<List<Map<String, Object>>> backends;

    private AdminDashboard(Builder b) {
        this.ownsLogin = b.login == null;
        this.login = ownsLogin ? AdminLogin.of(b.credentials, b.clock) : b.login;
        this.sessions = new AdminSessions(b.clock, b.sessionTtl);
        this.stats = new DashboardStats(b.io, b.samples, b.rooms == null ? null : b.rooms.stats(), b.nodeName);
        this.data = new DashboardData(b.io, b.rooms);
        this.cluster = b.clustered ? new ClusterSeries(b.io, stats) : null;
        this.backends = b.backends;
    }

    /** Stops sharing this node's numbers with the cluster (the routes keep answering), and its own password check. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (ownsLogin) {
            login.close();
        }
    }

    /** {@code /admin/api/stats}: this node's numbers, and under {@code nodes} one series per live node. */
    Map<String, Object> statsReply() {
        Map<String, Object> own = stats.current();
        Map<String, Object> out = new LinkedHashMap<>(own);
        out.put("nodes", cluster == null ? List.of(ClusterSeries.series(own)) : cluster.nodes(own));
        if (backends != null) {
            out.put("backends", backends.get());
        }
        return out;
    }

    /** A dashboard with a password check of its own. */
    public static Builder builder(SocketIoServer io, AdminCredentials credentials) {
        return new Builder(io, Objects.requireNonNull(credentials, "credentials"), null);
    }

    /** A dashboard whose logins go through {@code login}, shared with the other ways of presenting the password. */
    public static Builder builder(SocketIoServer io, AdminLogin login) {
        return new Builder(io, null, Objects.requireNonNull(login, "login"));
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.prefix(PREFIX, this::handle);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info) {
        String path = info.path();
        String method = info.method();
        HttpReply reply = HttpReply.to(ctx, req);
        if (path.equals(PREFIX)) {
            redirect(reply, PREFIX + "/", null);
            return;
        }
        if (path.equals(PREFIX + "/login")) {
            if (method.equals("POST")) {
                login(ctx, reply, req, info);
            } else {
                files.serve(reply, "login.html");
            }
            return;
        }
        if (path.equals(PREFIX + "/style.css")) { // the login form's look; nothing secret
            files.serve(reply, "style.css");
            return;
        }
        String token = sessionToken(info);
        if (!sessions.valid(token)) {
            if (path.startsWith(PREFIX + "/api/")) {
                error(reply, HttpResponseStatus.UNAUTHORIZED, "unauthorized");
            } else {
                redirect(reply, PREFIX + "/login", null);
            }
            return;
        }
        if (path.equals(PREFIX + "/logout") && method.equals("POST")) {
            sessions.remove(token);
            redirect(reply, PREFIX + "/login", cookie("", info.secure(), 0));
            return;
        }
        if (path.startsWith(PREFIX + "/api/")) {
            api(reply, req, info, path.substring((PREFIX + "/api/").length()));
            return;
        }
        String file = path.substring(PREFIX.length() + 1);
        files.serve(reply, file.isEmpty() ? "index.html" : file);
    }

    /** Checks the password off the event loop ({@link AdminLogin}), then answers on the connection's loop. */
    private void login(ChannelHandlerContext ctx, HttpReply reply, FullHttpRequest req, RequestInfo info) {
        String body = req.content().toString(StandardCharsets.UTF_8);
        List<String> values = new QueryStringDecoder(body, StandardCharsets.UTF_8, false)
                .parameters().getOrDefault("password", List.of());
        String password = values.size() == 1 ? values.get(0) : null; // the form sends exactly one
        boolean secure = info.secure();
        login.check(info.remoteAddress(), "dashboard", login.credentials().username(), password)
                .thenAccept(outcome -> ctx.executor().execute(() -> answerLogin(reply, secure, outcome)));
    }

    private void answerLogin(HttpReply reply, boolean secure, AdminLogin.Outcome outcome) {
        switch (outcome) {
            case ACCEPTED -> redirect(reply, PREFIX + "/", cookie(sessions.create(), secure, sessions.ttl().toSeconds()));
            case REFUSED -> files.serveLoginFailed(reply);
            case THROTTLED -> error(reply, HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_failed_logins");
            case BUSY -> error(reply, HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_attempts");
        }
    }

    private static String cookie(String value, boolean secure, long maxAgeSeconds) {
        return COOKIE + "=" + value + "; Path=" + PREFIX + "; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secure ? "; Secure" : "");
    }

    private static String sessionToken(RequestInfo info) {
        String header = info.header("cookie");
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(COOKIE)) {
                return c.value();
            }
        }
        return null;
    }

    // ---- the JSON API ----------------------------------------------------------------------------

    private void api(HttpReply reply, FullHttpRequest req, RequestInfo info, String name) {
        boolean post = info.method().equals("POST");
        String query = info.queryParam("q");
        switch (name) {
            case "stats" -> answer(reply, CompletableFuture.completedFuture(statsReply()));
            case "rooms" -> answer(reply, data.rooms(query));
            case "users" -> answer(reply, CompletableFuture.completedFuture(data.users(query)));
            case "disconnect", "publish" -> {
                if (!post) {
                    error(reply, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed");
                    return;
                }
                String type = info.header("content-type");
                if (type == null || !type.toLowerCase().startsWith("application/json")) {
                    error(reply, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "json_required");
                    return;
                }
                Map<?, ?> body;
                try {
                    body = json.readValue(req.content().toString(StandardCharsets.UTF_8), Map.class);
                } catch (JsonProcessingException | RuntimeException e) {
                    error(reply, HttpResponseStatus.BAD_REQUEST, "invalid_json");
                    return;
                }
                CompletableFuture<Map<String, Object>> result = name.equals("publish")
                        ? data.publish(body) : data.disconnect(body);
                log.info("dashboard action {} from {}", name, info.remoteAddress());
                answer(reply, result);
            }
            default -> error(reply, HttpResponseStatus.NOT_FOUND, "not_found");
        }
    }

    private void answer(HttpReply reply, CompletableFuture<?> result) {
        result.whenComplete((value, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    boolean invalid = cause instanceof IllegalArgumentException
                            || cause instanceof RoomsException;
                    json(reply, invalid ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            json.writeValueAsBytes(Map.of("ok", false, "error", String.valueOf(cause.getMessage()))));
                } else {
                    json(reply, HttpResponseStatus.OK, json.writeValueAsBytes(value));
                }
            } catch (JsonProcessingException e) {
                error(reply, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal");
            }
        });
    }

    // ---- responses: never cached, never framed, no referrer ---------------------------------------

    /** A dashboard response: admin data must not linger in shared caches or the browser's back-forward cache. */
    static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse res = HttpReply.response(status, contentType, Unpooled.wrappedBuffer(body));
        res.headers().set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
        return res;
    }

    private static void json(HttpReply reply, HttpResponseStatus status, byte[] json) {
        reply.send(response(status, "application/json", json));
    }

    static void error(HttpReply reply, HttpResponseStatus status, String code) {
        json(reply, status, ("{\"ok\":false,\"error\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void redirect(HttpReply reply, String location, String cookie) {
        FullHttpResponse res = response(HttpResponseStatus.SEE_OTHER, null, new byte[0]);
        res.headers().set(HttpHeaderNames.LOCATION, location);
        if (cookie != null) {
            res.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        reply.send(res);
    }

    /** Options of the dashboard. */
    public static final class Builder {
        private final SocketIoServer io;
        private final AdminCredentials credentials;
        private final AdminLogin login;
        private RoomsService rooms;
        private Supplier<MetricsSample> samples;
        private Clock clock = Clock.systemUTC();
        private Duration sessionTtl = Duration.ofHours(12);
        private Supplier<String> nodeName = AdminUiOptions::defaultServerId;
        private boolean clustered;
        private Supplier<List<Map<String, Object>>> backends;

        private Builder(SocketIoServer io, AdminCredentials credentials, AdminLogin login) {
            this.io = Objects.requireNonNull(io, "io");
            this.credentials = credentials;
            this.login = login;
        }

        /** The rooms service: the rooms table, user disconnects and test publishes (without it: local sockets only, no publish). */
        public Builder rooms(RoomsService rooms) {
            this.rooms = rooms;
            return this;
        }

        /**
         * Where the plots come from, e.g. {@code observability.prometheus()::sample}; without it the
         * engine's counts and the rooms service's counters are plotted and latency is not.
         */
        public Builder samples(Supplier<MetricsSample> samples) {
            this.samples = samples;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a login lasts (default 12 hours). */
        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** This node's name on the plots (default host name#pid); read each second, so it may wait for the bound port. */
        public Builder nodeName(Supplier<String> name) {
            this.nodeName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The server runs in a cluster: share this node's numbers with the other nodes once a second
         * and plot one series per node ({@link ClusterSeries}). {@link AdminDashboard#close()} stops it.
         */
        public Builder clustered(boolean clustered) {
            this.clustered = clustered;
            return this;
        }

        /**
         * The gateway's backends (proxies, brokers), one row each with running totals
         * ({@code GatewayMetrics.snapshot}); shown in a table when set.
         */
        public Builder gateway(Supplier<List<Map<String, Object>>> rows) {
            this.backends = rows;
            return this;
        }

        public AdminDashboard build() {
            return new AdminDashboard(this);
        }
    }
}
