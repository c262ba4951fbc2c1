package io.sockeye.server.gateway;

import io.sockeye.server.gateway.forward.ForwardSettings;
import io.sockeye.server.gateway.proxy.ProxyKind;
import io.sockeye.server.gateway.proxy.ProxySettings;

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
 * @param forward        broker forwarding
 */
public record GatewaySettings(Map<ProxyKind, ProxySettings> proxies, ConnectMode connectMode, int retries,
                              int maxAnswerBytes, ForwardSettings forward) {

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
        Objects.requireNonNull(forward, "forward");
    }

    /** No proxy, no forwarding: the server as it is without a backend. */
    public static GatewaySettings none() {
        return new GatewaySettings(Map.of(), ConnectMode.JWT_FIRST, 2, 1 << 20, ForwardSettings.none());
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
        return new GatewaySettings(all, connectMode, retries, maxAnswerBytes, forward);
    }

    public GatewaySettings withForward(ForwardSettings newForward) {
        return new GatewaySettings(proxies, connectMode, retries, maxAnswerBytes, newForward);
    }
}
