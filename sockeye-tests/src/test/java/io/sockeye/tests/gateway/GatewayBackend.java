package io.sockeye.tests.gateway;

import io.sockeye.testkit.HttpBackend;
import io.sockeye.testkit.HttpBackend.Request;
import io.sockeye.testkit.HttpBackend.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application backend of the gateway end-to-end tests, on a real HTTP server ({@link HttpBackend}):
 * <ul>
 *   <li>{@code /connect} admits the user named by the {@code session} cookie (refuses without one), grants
 *       {@code chat:*} (and {@code admin:*}, outside the server's scope), with a session of 5 s when the
 *       handshake's auth says {@code life: short} (a loaded machine may take seconds to admit it);</li>
 *   <li>{@code /refresh} extends by an hour, except for {@code bob} (revoked);</li>
 *   <li>{@code /subscribe} closes {@code *:closed} rooms, else welcomes;</li>
 *   <li>{@code /publish} refuses data containing {@code badword}, upper-cases event {@code shout};</li>
 *   <li>{@code /rpc} echoes (method {@code refuse}: an error).</li>
 * </ul>
 */
final class GatewayBackend {

    private GatewayBackend() {
    }

    static HttpBackend start() {
        HttpBackend backend = HttpBackend.start();
        backend.on("/connect", GatewayBackend::connect);
        backend.on("/refresh", r -> "bob".equals(r.body().get("user"))
                ? error("session_revoked", "logged out elsewhere")
                : Response.json(Map.of("expire_at", Instant.now().plusSeconds(3600).getEpochSecond())));
        backend.on("/subscribe", r -> String.valueOf(r.body().get("room")).endsWith(":closed")
                ? error("closed", "this room is closed")
                : Response.json(Map.of("data", Map.of("welcome", r.body().get("room")))));
        backend.on("/publish", r -> {
            if (String.valueOf(r.body().get("data")).contains("badword")) {
                return error("moderated", "mind your language");
            }
            return "shout".equals(r.body().get("event"))
                    ? Response.json(Map.of("data", String.valueOf(r.body().get("data")).toUpperCase()))
                    : Response.json(Map.of());
        });
        backend.on("/rpc", r -> {
            if ("refuse".equals(r.body().get("method"))) {
                return error("nope", "not today");
            }
            Map<String, Object> result = new LinkedHashMap<>(); // null values allowed
            for (String key : List.of("method", "user", "meta", "data")) {
                result.put(key, r.body().get(key));
            }
            return Response.json(Map.of("result", result));
        });
        return backend;
    }

    /** The flags pointing a server's proxies at {@code backend}. */
    static String[] flags(HttpBackend backend) {
        return new String[] {
            "--proxy-connect-url", backend.url("/connect"), "--proxy-connect-cookies", "session",
            "--proxy-connect-rooms", "chat:*,user:{sub}",
            "--proxy-refresh-url", backend.url("/refresh"),
            "--proxy-subscribe-url", backend.url("/subscribe"), "--proxy-subscribe-rooms", "team:*",
            "--proxy-publish-url", backend.url("/publish"), "--proxy-publish-rooms", "chat:*",
            "--proxy-rpc-url", backend.url("/rpc"),
            "--allow-anonymous=false"};
    }

    private static Response connect(Request r) {
        Object headers = r.body().get("headers");
        String cookie = headers instanceof Map<?, ?> h && h.get("cookie") instanceof String c ? c : "";
        if (!cookie.startsWith("session=")) {
            return error("no_session", "please log in");
        }
        String user = cookie.substring("session=".length());
        boolean shortLived = r.body().get("auth") instanceof Map<?, ?> auth && "short".equals(auth.get("life"));
        return Response.json(Map.of("user", user,
                "rooms", Map.of("subscribe", List.of("chat:*", "admin:*"), "publish", List.of("chat:*"),
                        "presence", List.of("chat:*")),
                "data", Map.of("name", user.toUpperCase()), "meta", Map.of("tenant", "t-" + user),
                "expire_at", Instant.now().plusSeconds(shortLived ? 5 : 3600).getEpochSecond()));
    }

    private static Response error(String code, String message) {
        return Response.json(Map.of("error", Map.of("code", code, "message", message)));
    }
}
