package io.sockeye.server.gateway.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One proxy's configuration ({@code proxy.<kind>.*}).
 *
 * @param url            the backend's URL; every call is a {@code POST} of a JSON body
 * @param timeout        how long one call (retries included) may take before the client gets {@code unavailable}
 * @param headers        lower-case names of the handshake headers passed on (allow-list)
 * @param cookies        names of the handshake cookies passed on (allow-list)
 * @param rooms          room patterns: the rooms whose requests go to the proxy (subscribe, publish), or the
 *                       rooms the connect proxy may grant; empty where a call concerns no room
 * @param maxConcurrency calls in flight at once on this node; a call past it is answered {@code unavailable}
 */
public record ProxySettings(URI url, Duration timeout, List<String> headers, List<String> cookies, List<String> rooms,
                            int maxConcurrency) {

    public ProxySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        headers = List.copyOf(headers);
        cookies = List.copyOf(cookies);
        rooms = List.copyOf(rooms);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be positive");
        }
    }

    /** Defaults for {@code url}: 5 s, nothing passed on, every room, 1000 calls at once. */
    public static ProxySettings of(URI url) {
        return new ProxySettings(url, Duration.ofSeconds(5), List.of(), List.of(), List.of("*"), 1000);
    }

    public ProxySettings withTimeout(Duration newTimeout) {
        return new ProxySettings(url, newTimeout, headers, cookies, rooms, maxConcurrency);
    }

    public ProxySettings withRooms(List<String> newRooms) {
        return new ProxySettings(url, timeout, headers, cookies, newRooms, maxConcurrency);
    }

    public ProxySettings withPassThrough(List<String> newHeaders, List<String> newCookies) {
        return new ProxySettings(url, timeout, newHeaders, newCookies, rooms, maxConcurrency);
    }

    public ProxySettings withMaxConcurrency(int max) {
        return new ProxySettings(url, timeout, headers, cookies, rooms, max);
    }
}
