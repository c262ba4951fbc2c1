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
 */
public record AdminUiOptions(String namespace, AdminCredentials credentials, boolean readonly, String serverId,
                             Duration statsInterval, List<String> namespaces) {

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

    /** Namespace {@code /admin}, read-write, stats every 2 s about {@code /}, server id from the host name and pid. */
    public static AdminUiOptions of(AdminCredentials credentials) {
        return new AdminUiOptions("/admin", credentials, false, defaultServerId(), Duration.ofSeconds(2), List.of("/"));
    }

    public AdminUiOptions withReadonly(boolean readonly) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, statsInterval, namespaces);
    }

    public AdminUiOptions withStatsInterval(Duration interval) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, interval, namespaces);
    }

    public AdminUiOptions withNamespaces(List<String> names) {
        return new AdminUiOptions(namespace, credentials, readonly, serverId, statsInterval, names);
    }

    static String defaultServerId() {
        return ServerInfo.hostname() + "#" + ProcessHandle.current().pid();
    }
}
