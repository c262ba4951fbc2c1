package io.sockeye.core.spi.transport;

import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the forwarding headers for {@link TrustedProxies}: {@code X-Forwarded-For} (comma-separated
 * addresses, as proxies write them: IPv4 or IPv6, with or without brackets and port), {@code Forwarded}
 * (RFC 7239 §4: elements of {@code name=value} pairs, values tokens or quoted strings) and
 * {@code X-Real-IP}. Pure: strings in, an address out; never throws on what a client or proxy sent.
 * Elements are parsed from the right and only as far as the walk goes, so a malformed element left
 * of the client's address (where a client's own header ends up) does not matter.
 */
final class ForwardedHeaders {

    private static final Logger log = LoggerFactory.getLogger(ForwardedHeaders.class);
    private static final int LOGGED_CHARS = 120;

    enum Kind {
        X_FORWARDED_FOR("X-Forwarded-For"), FORWARDED("Forwarded");

        private final String header;

        Kind(String header) {
            this.header = header;
        }
    }

    /** What one element says about the hop before it: an address, "unknown" (or hidden), or nothing usable. */
    record Hop(InetAddress address, boolean malformed) {
        static final Hop UNKNOWN = new Hop(null, false);
        static final Hop MALFORMED = new Hop(null, true);
    }

    private ForwardedHeaders() {
    }

    /**
     * Walks the header's elements from the right: trusted addresses are hops to pass, the first other
     * address is the client; {@code unknown} stops at the last address known; a malformed element
     * gives the peer's address back.
     */
    static InetAddress rightmostUntrusted(TrustedProxies trusted, InetAddress peer, Kind kind, String value) {
        List<String> elements = kind == Kind.FORWARDED ? forwardedElements(value) : commaSeparated(value);
        InetAddress current = peer;
        for (int i = elements.size() - 1; i >= 0; i--) {
            String element = elements.get(i).strip();
            if (element.isEmpty()) {
                continue; // RFC 9110 §5.6.1: empty list elements are ignored
            }
            Hop hop = kind == Kind.FORWARDED ? forwardedFor(element) : listedAddress(element);
            if (hop.malformed()) {
                return malformed(kind.header, peer, value);
            }
            if (hop.address() == null) {
                return current;
            }
            if (!trusted.trusts(hop.address())) {
                return hop.address();
            }
            current = hop.address();
        }
        return current;
    }

    /** {@code X-Real-IP}: one address, which the proxy saw; {@code unknown} gives the peer. */
    static InetAddress realIp(InetAddress peer, String value) {
        Hop hop = listedAddress(value.strip());
        if (hop.malformed()) {
            return malformed("X-Real-IP", peer, value);
        }
        return hop.address() == null ? peer : hop.address();
    }

    private static InetAddress malformed(String header, InetAddress peer, String value) {
        if (log.isDebugEnabled()) {
            String shown = value.length() > LOGGED_CHARS ? value.substring(0, LOGGED_CHARS) + "…" : value;
            log.debug("ignoring malformed {} from trusted proxy {} (using its address): {}", header,
                    peer.getHostAddress(), shown.replaceAll("\\p{Cntrl}", "?"));
        }
        return peer;
    }

    private static List<String> commaSeparated(String value) {
        return List.of(value.split(",", -1));
    }

    // ---- X-Forwarded-For, X-Real-IP --------------------------------------------------------------

    /**
     * One address as proxies write them in {@code X-Forwarded-For}: {@code 192.0.2.1},
     * {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:4711};
     * {@code unknown} (or an obfuscated {@code _name}) as RFC 7239 spells an unknown client.
     */
    static Hop listedAddress(String text) {
        if (text.equalsIgnoreCase("unknown") || text.startsWith("_") && obfuscated(text)) {
            return Hop.UNKNOWN;
        }
        if (text.startsWith("[")) {
            return bracketed(text);
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return address(ipv4(text));
        }
        if (text.indexOf(':', colon + 1) < 0) {
            return port(text.substring(colon + 1), false) ? address(ipv4(text.substring(0, colon))) : Hop.MALFORMED;
        }
        return address(ipv6(text));
    }

    // ---- Forwarded (RFC 7239) ------------------------------------------------------------------

    /** The elements of a {@code Forwarded} value: split at commas outside quoted strings. */
    static List<String> forwardedElements(String value) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++; // quoted-pair: the next character is literal
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        // An unterminated quoted string runs to the end: that last element is malformed when parsed.
        out.add(value.substring(start));
        return out;
    }

    /**
     * The {@code for} parameter of one element (RFC 7239 §4: {@code forwarded-pair *( ";" forwarded-pair )},
     * each parameter at most once, names case-insensitive); an element without one is an unknown hop.
     */
    static Hop forwardedFor(String element) {
        Set<String> names = new HashSet<>();
        Hop hop = Hop.UNKNOWN;
        int at = 0;
        int n = element.length();
        while (at <= n) {
            int end = pairEnd(element, at);
            if (end < 0) {
                return Hop.MALFORMED;
            }
            String pair = element.substring(at, end).strip();
            at = end + 1;
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || !token(pair.substring(0, eq))) {
                return Hop.MALFORMED;
            }
            String name = pair.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = value(pair.substring(eq + 1));
            if (value == null || !names.add(name)) {
                return Hop.MALFORMED;
            }
            if (name.equals("for")) {
                hop = node(value);
            }
        }
        return hop;
    }

    // Index of the ';' ending the pair that starts at 'from' (or the end of the element); -1 when a quote never closes.
    private static int pairEnd(String element, int from) {
        boolean quoted = false;
        for (int i = from; i < element.length(); i++) {
            char c = element.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return quoted ? -1 : element.length();
    }

    /** A parameter's value: a token, or a quoted string unescaped; {@code null} when it is neither. */
    private static String value(String text) {
        if (!text.startsWith("\"")) {
            // Tokens by the grammar; ':' and '[' are let through too, as proxies forget the quotes.
            return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"' && c != '\\')
                    ? text : null;
        }
        if (text.length() < 2 || !text.endsWith("\"")) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (++i >= text.length() - 1) {
                    return null;
                }
                c = text.charAt(i);
            } else if (c == '"') {
                return null;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * RFC 7239 §6: {@code node = nodename [ ":" node-port ]}, nodename an IPv4 address, a bracketed IPv6
     * address, {@code unknown} or an obfuscated {@code _name}; node-port a number or {@code _name}.
     */
    private static Hop node(String value) {
        if (value.startsWith("[")) {
            return bracketed(value);
        }
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        if (colon >= 0 && !port(value.substring(colon + 1), true)) {
            return Hop.MALFORMED;
        }
        if (name.equalsIgnoreCase("unknown")) {
            return Hop.UNKNOWN;
        }
        if (name.startsWith("_")) {
            return obfuscated(name) ? Hop.UNKNOWN : Hop.MALFORMED;
        }
        return address(ipv4(name));
    }

    // ---- shared pieces ---------------------------------------------------------------------------

    /** {@code [v6]} or {@code [v6]:port}. */
    private static Hop bracketed(String text) {
        int close = text.indexOf(']');
        if (close < 0) {
            return Hop.MALFORMED;
        }
        String rest = text.substring(close + 1);
        if (!rest.isEmpty() && !(rest.startsWith(":") && port(rest.substring(1), true))) {
            return Hop.MALFORMED;
        }
        return address(ipv6(text.substring(1, close)));
    }

    private static boolean port(String text, boolean obfuscatedAllowed) {
        if (obfuscatedAllowed && text.startsWith("_")) {
            return obfuscated(text);
        }
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return Integer.parseInt(text) <= 65535;
    }

    // RFC 7239 §6.3: obfnode = "_" 1*( ALPHA / DIGIT / "." / "_" / "-")
    private static boolean obfuscated(String text) {
        return text.length() > 1 && text.chars().allMatch(c -> c < 0x80
                && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'));
    }

    // RFC 9110 §5.6.2: token = 1*tchar
    private static boolean token(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
    }

    private static InetAddress ipv4(String text) {
        return NetUtil.isValidIpV4Address(text) ? NetUtil.createInetAddressFromIpAddressString(text) : null;
    }

    private static InetAddress ipv6(String text) {
        return NetUtil.isValidIpV6Address(text) ? NetUtil.createInetAddressFromIpAddressString(text) : null;
    }

    private static Hop address(InetAddress address) {
        return address == null ? Hop.MALFORMED : new Hop(address, false);
    }
}
