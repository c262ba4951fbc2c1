package io.sockeye.netty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WebSocket per-message compression extension, {@code permessage-deflate}
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>): off unless enabled, and immutable.
 *
 * <p>Sockeye keeps no compression context on either side of a connection: it always answers
 * {@code server_no_context_takeover} (so one compressed frame serves every recipient of a broadcast) and
 * {@code client_no_context_takeover} (so an idle connection holds no inflater window). Messages from
 * {@link #threshold()} bytes up are compressed; smaller ones go out as they are. docs/compatibility.md
 * lists what is accepted and what is declined.
 */
public final class PerMessageDeflate {

    /** The extension's token in {@code Sec-WebSocket-Extensions}. */
    public static final String NAME = "permessage-deflate";

    /** The default threshold in bytes, the one of the Node.js {@code ws} server. */
    public static final int DEFAULT_THRESHOLD = 1024;

    /** No compression: offers are ignored and the 101 answer names no extension. */
    public static final PerMessageDeflate DISABLED = new PerMessageDeflate(false, DEFAULT_THRESHOLD);

    private static final String ACCEPTED = NAME + "; server_no_context_takeover; client_no_context_takeover";
    private static final int MIN_WINDOW_BITS = 8;
    private static final int MAX_WINDOW_BITS = 15;

    private final boolean enabled;
    private final int threshold;

    private PerMessageDeflate(boolean enabled, int threshold) {
        this.enabled = enabled;
        this.threshold = threshold;
    }

    /** Compression negotiated with clients that offer it, for messages of at least {@code threshold} bytes. */
    public static PerMessageDeflate enabled(int threshold) {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        }
        return new PerMessageDeflate(true, threshold);
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Messages shorter than this (in bytes, before compression) are sent uncompressed. */
    public int threshold() {
        return threshold;
    }

    /**
     * The {@code Sec-WebSocket-Extensions} value answering a client's offers (every header line, in order),
     * or {@code null} when none is accepted: the connection then runs without the extension. The first
     * acceptable {@code permessage-deflate} offer wins (RFC 7692 §5: offers are in the client's order of
     * preference); an offer is declined (§7) when it has an unknown or repeated parameter, an invalid value,
     * or asks for a server window below 15 bits (the JDK's zlib always uses 15).
     */
    public String negotiate(List<String> offerHeaders) {
        if (!enabled || offerHeaders == null) {
            return null;
        }
        for (String header : offerHeaders) {
            for (String offer : splitOutsideQuotes(header, ',')) {
                String answer = answer(offer);
                if (answer != null) {
                    return answer;
                }
            }
        }
        return null;
    }

    private static String answer(String offer) {
        List<String> parts = splitOutsideQuotes(offer, ';');
        if (parts.isEmpty() || !parts.get(0).trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (String part : parts.subList(1, parts.size())) {
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(part.substring(eq + 1).trim());
            if (name.isEmpty() || params.containsKey(name)) {
                return null; // RFC 7692 §7: "multiple extension parameters with the same name" → decline
            }
            params.put(name, value);
        }
        String serverWindow = null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (value != null) {
                        return null; // §7.1.1: these parameters have no value
                    }
                }
                case "server_max_window_bits" -> {
                    // §7.1.2.1: a value is required; a server that cannot honour it declines the offer.
                    if (value == null || windowBits(value) < 0) {
                        return null;
                    }
                    if (windowBits(value) < MAX_WINDOW_BITS) {
                        return null;
                    }
                    serverWindow = value;
                }
                case "client_max_window_bits" -> {
                    // §7.1.2.2: no value, or 8..15; the server need not limit the client's window.
                    if (value != null && windowBits(value) < 0) {
                        return null;
                    }
                }
                default -> {
                    return null; // §7: "an extension parameter not defined for use in an offer"
                }
            }
        }
        return serverWindow == null ? ACCEPTED : ACCEPTED + "; server_max_window_bits=" + MAX_WINDOW_BITS;
    }

    /** 8..15 written as §7.1.2 requires (decimal, no leading zero, no sign), or -1. */
    private static int windowBits(String value) {
        if (value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= MIN_WINDOW_BITS && bits <= MAX_WINDOW_BITS ? bits : -1;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        out.removeIf(String::isBlank);
        return out;
    }

    @Override
    public String toString() {
        return enabled ? "PerMessageDeflate(threshold=" + threshold + ")" : "PerMessageDeflate(disabled)";
    }
}
