package io.sockeye.server.gateway;

import io.sockeye.server.gateway.forward.ForwardSettings;
import io.sockeye.server.gateway.proxy.ProxyKind;
import io.sockeye.server.gateway.proxy.ProxySettings;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's configuration: the proxies to HTTP backends ({@code proxy.*}) and the brokers client events
 * are forwarded to ({@code forward.*}). See {@code docs/proxy.md}.
 *
 * @param proxies        the configured proxies; a kind without an entry is off
 * @param connectMode    which of JWT and the connect proxy admits a connection
 * @param retries        retries of idempotent calls ({@link ProxyKind#idempotent()})
 * @param maxAnswerBytes largest proxy answer body
 * @param pool           the kept-alive connections to the proxies' backends
 * @param forward        broker forwarding
 */
public record GatewaySettings(Map<ProxyKind, ProxySettings> proxies, ConnectMode connectMode, int retries,
                              int maxAnswerBytes, Pool pool, ForwardSettings forward) {

    /**
     * The kept-alive HTTP/1.1 connections to each backend ({@code proxy.max_connections},
     * {@code proxy.idle_timeout}).
     *
     * @param maxPerLoop  connections to one backend (scheme, host, port) on one event loop, busy or idle
     * @param idleTimeout an idle connection unused this long is closed
     */
    public record Pool(int maxPerLoop, Duration idleTimeout) {

        public Pool {
            if (maxPerLoop < 1) {
                throw new IllegalArgumentException("maxPerLoop must be positive");
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }

        /** 1,024 connections per loop and backend, closed after 4 s unused (below Node's 5 s keep-alive). */
        public static Pool defaults() {
            return new Pool(1024, Duration.ofSeconds(4));
        }
    }

    /** Which check admits a connection when the connect proxy is configured. */
    public enum ConnectMode {
        /** A connection sending a token is verified as a JWT (the proxy is not asked); one without, by the proxy. */
        JWT_FIRST,
        /** The connect proxy decides every connection; a token the client sent reaches it in {@code auth}. */
        PROXY_ONLY
    }

    public GatewaySettings {
        proxies = proxies.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(proxies));
        Objects.requireNonNull(connectMode, "connectMode");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(forward, "forward");
    }

    /** No proxy, no forwarding: the server as it is without a backend. */
    public static GatewaySettings none() {
        return new GatewaySettings(Map.of(), ConnectMode.JWT_FIRST, 2, 1 << 20, Pool.defaults(), ForwardSettings.none());
    }

    /** The proxy of {@code kind}, or {@code null} when it is off. */
    public ProxySettings proxy(ProxyKind kind) {
        return proxies.get(kind);
    }

    /** Whether any proxy or broker is configured. */
    public boolean enabled() {
        return !proxies.isEmpty() || forward.enabled();
    }

    public GatewaySettings withProxy(ProxyKind kind, ProxySettings settings) {
        Map<ProxyKind, ProxySettings> all = new EnumMap<>(ProxyKind.class);
        all.putAll(proxies);
        all.put(kind, settings);
        return new GatewaySettings(all, connectMode, retries, maxAnswerBytes, pool, forward);
    }

    public GatewaySettings withForward(ForwardSettings newForward) {
        return new GatewaySettings(proxies, connectMode, retries, maxAnswerBytes, pool, newForward);
    }
}
