package io.sockeye.server.config;

import io.sockeye.adapter.nats.NatsAdapterFactory;
import io.sockeye.adapter.nats.NatsAdapterOptions;
import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.core.adapter.AdapterFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The cluster bus the configuration asks for ({@code redis_url} or {@code nats_url}), connected, or
 * none: the adapter factory to plug into {@code ServerOptions.adapterFactory}, its connection state
 * (for readiness) and its shutdown. {@code redis_url} may name one Redis, a Sentinel-managed master or
 * a Redis Cluster (see {@link RedisUrl}).
 *
 * <p>Startup policy: when the bus cannot be reached at start the server does not start
 * ({@link ConfigException}, exit 2). A node that came up alone while its operator believes it is
 * clustered would silently split the cluster; failing lets the supervisor restart it until the bus is
 * there. Outages <em>after</em> start are survived: the adapters reconnect with backoff, local
 * traffic keeps flowing and cluster operations answer {@code unavailable} meanwhile.
 */
public final class ClusterBus implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);

    /** The {@code redis_url} query parameter choosing the Redis adapter's mode. */
    static final String MODE_PARAMETER = "mode";

    private final AdapterFactory factory;
    private final AutoCloseable closer;
    private final BooleanSupplier connected;
    private final String description;

    private ClusterBus(AdapterFactory factory, AutoCloseable closer, BooleanSupplier connected, String description) {
        this.factory = factory;
        this.closer = closer;
        this.connected = connected;
        this.description = description;
    }

    /** No bus: the in-memory adapter of a single node. */
    public static ClusterBus none() {
        return new ClusterBus(AdapterFactory.inMemory(), () -> { }, () -> true, "single node");
    }

    /**
     * Connects to the configured bus (blocks until connected or refused).
     *
     * @throws ConfigException when the bus cannot be reached (the server then exits with 2)
     */
    public static ClusterBus open(ServerConfig config) {
        if (config.redisUrl() != null) {
            RedisUrl url = RedisUrl.of(config.redisUrl());
            try {
                RedisAdapterFactory redis = url.connect();
                log.info("clustering over Redis at {} ({} mode)", url.where(), url.mode());
                return new ClusterBus(redis, redis, redis::isConnected, url.describe());
            } catch (RuntimeException e) {
                throw ConfigException.of(Settings.REDIS_URL.key(), "cannot connect to Redis at " + url.where() + ": "
                        + message(e));
            }
        }
        if (config.natsUrl() != null) {
            URI uri = config.natsUrl();
            String where = uri.getHost() + ":" + (uri.getPort() < 0 ? 4222 : uri.getPort());
            try {
                NatsAdapterFactory nats = NatsAdapterFactory.connect(uri.toString(), NatsAdapterOptions.defaults());
                log.info("clustering over NATS at {}", where);
                return new ClusterBus(nats, nats, nats::isConnected, "nats " + where);
            } catch (RuntimeException e) {
                throw ConfigException.of(Settings.NATS_URL.key(), "cannot connect to NATS at " + where + ": "
                        + message(e));
            }
        }
        return none();
    }

    /** What {@code ServerOptions.adapterFactory} gets. */
    public AdapterFactory adapterFactory() {
        return factory;
    }

    /** Whether cluster operations can reach the other nodes now (always true for a single node). */
    public boolean isConnected() {
        return connected.getAsBoolean();
    }

    /**
     * E.g. {@code redis classic 127.0.0.1:6379}, {@code redis sharded Redis Cluster h1:7000,h2:7000} or
     * {@code single node}; never credentials.
     */
    @Override
    public String toString() {
        return description;
    }

    /** Closes the bus connections; call after the Socket.IO server closed its adapters. */
    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            log.warn("closing the cluster bus failed", e);
        }
    }

    // ---- redis_url ----------------------------------------------------------------------------

    /** {@code classic} (the default) or {@code sharded}; {@code null} for any other {@code mode}. */
    static String redisMode(URI uri) {
        String raw = rawMode(uri);
        if (raw == null) {
            return "classic";
        }
        String mode = raw.toLowerCase(Locale.ROOT);
        return mode.equals("classic") || mode.equals("sharded") ? mode : null;
    }

    /** The {@code mode} query parameter as written, or {@code null}. */
    static String rawMode(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(MODE_PARAMETER + "=")) {
                return pair.substring(MODE_PARAMETER.length() + 1);
            }
        }
        return null;
    }

    /** The URL for Lettuce: {@code mode} is ours, the other parameters (timeout, database...) are its. */
    static String withoutMode(URI uri) {
        String text = uri.toString();
        int q = text.indexOf('?');
        if (q < 0) {
            return text;
        }
        int hash = text.indexOf('#', q);
        int end = hash < 0 ? text.length() : hash;
        List<String> kept = new ArrayList<>();
        for (String pair : text.substring(q + 1, end).split("&")) {
            if (!pair.isEmpty() && !pair.startsWith(MODE_PARAMETER + "=")) {
                kept.add(pair);
            }
        }
        return text.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)) + text.substring(end);
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                // Lettuce and jnats messages name the host but not the password.
                return t.getMessage().replaceAll("//[^/@]*@", "//****@");
            }
        }
        return e.getClass().getSimpleName();
    }
}
