package io.sockeye.server.admin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of the {@code @socket.io/admin-ui} namespace ({@link AdminUiNamespace}). Immutable.
 *
 * @param namespace     the namespace the UI connects to (the UI's default {@code /admin})
 * @param credentials   the user name and password (bcrypt hash or plain) the UI must send in its CONNECT
 *                      auth; {@code null} means no authentication, which only a test should want
 * @param readonly      when set, the UI's commands ({@code emit}, {@code join}, {@code leave},
 *                      {@code _disconnect}) are neither advertised nor executed
 * @param serverId      this node's id in {@code server_stats} (the UI groups by it)
 * @param statsInterval how often {@code server_stats} is sent; the UI expects 2 s
 * @param namespaces    namespaces reported in {@code server_stats} (the public API cannot list them),
 *                      the Admin UI's own namespace included automatically
 * @param development   socket.io's {@code mode: "development"}: the UI also receives every socket, room
 *                      change and event of those namespaces ({@link AdminUiDevelopment}); costs a message
 *                      to the UI per event, and shows event arguments to whoever logs in
 */
public record AdminUiOptions(String namespace, AdminCredentials credentials, boolean readonly, String serverId,
                             Duration statsInterval, List<String> namespaces, boolean development) {

    public AdminUiOptions {
        Objects.requireNonNull(namespace, "namespace");
        if (!namespace.startsWith("/")) {
            namespace = "/" + namespace;
        }
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(statsInterval, "statsInterval");
        if (statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("statsInterval must be positive");
        }
        namespaces = List.copyOf(namespaces);
    }

    /** Namespace {@code /admin}, read-write, production mode, stats every 2 s about {@code /}, server id from the host name and pid. */
    public static AdminUiOptions of(AdminCredentials credentials) {
        return new AdminUiOptions("/admin", credentials, false, defaultServerId(), Duration.ofSeconds(2), List.of("/"), false);
    }

    public AdminUiOptions withReadonly(boolean readonly) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, statsInterval, namespaces, development);
    }

    public AdminUiOptions withStatsInterval(Duration interval) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, interval, namespaces, development);
    }

    public AdminUiOptions withNamespaces(List<String> names) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, statsInterval, names, development);
    }

    /** This machine's host name ({@code HOSTNAME}, else the local host's name), read once. */
    public static String hostname() {
        return ServerInfo.hostname();
    }

    /** socket.io's {@code mode}: {@code true} for development (see the class comment), {@code false} for production. */
    public AdminUiOptions withDevelopment(boolean development) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, statsInterval, namespaces, development);
    }

    static String defaultServerId() {
        return ServerInfo.hostname() + "#" + ProcessHandle.current().pid();
    }
}
