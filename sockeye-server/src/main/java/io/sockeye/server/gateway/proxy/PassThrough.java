package io.sockeye.server.gateway.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a client's handshake headers and cookies reach a proxy: only the names on the allow-lists, and
 * only values without control characters. A value holding CR or LF could otherwise add a header of its own
 * to the backend request (header injection); it is dropped, counted and logged instead. The identity
 * headers ({@code X-Sockeye-*}) cannot be on the list (the configuration refuses them), so a client cannot
 * pose as another connection.
 */
final class PassThrough {

    private final List<String> headers;
    private final List<String> cookies;

    /**
     * @param headers lower-case header names
     * @param cookies cookie names, case-sensitive
     */
    PassThrough(List<String> headers, List<String> cookies) {
        this.headers = List.copyOf(headers);
        this.cookies = List.copyOf(cookies);
    }

    boolean isEmpty() {
        return headers.isEmpty() && cookies.isEmpty();
    }

    /**
     * The allowed headers of {@code handshake} (lower-case names), with {@code cookie} narrowed to the allowed
     * cookies when a cookie list is set; {@code refused} runs once per value dropped for its characters.
     */
    Map<String, String> select(Map<String, String> handshake, Runnable refused) {
        Map<String, String> out = new LinkedHashMap<>();
        if (isEmpty() || handshake == null) {
            return out;
        }
        for (String name : headers) {
            if (name.equals("cookie") && !cookies.isEmpty()) {
                continue; // the cookie list decides below
            }
            String value = handshake.get(name);
            if (value != null) {
                if (safe(value)) {
                    out.put(name, value);
                } else {
                    refused.run();
                }
            }
        }
        if (!cookies.isEmpty()) {
            String cookie = handshake.get("cookie");
            if (cookie != null) {
                if (!safe(cookie)) {
                    refused.run();
                } else {
                    String kept = cookies(cookie);
                    if (!kept.isEmpty()) {
                        out.put("cookie", kept);
                    }
                }
            }
        }
        return out;
    }

    /** The allowed cookies of a {@code Cookie} header ({@code a=1; b=2}, RFC 6265 §4.2), in their order. */
    private String cookies(String header) {
        StringBuilder kept = new StringBuilder();
        for (String pair : header.split(";")) {
            String p = pair.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && cookies.contains(p.substring(0, eq).trim())) {
                if (!kept.isEmpty()) {
                    kept.append("; ");
                }
                kept.append(p);
            }
        }
        return kept.toString();
    }

    /** Field values are visible characters, spaces and tabs (RFC 9110 §5.5): no CR, LF, NUL or DEL, nothing past Latin-1. */
    static boolean safe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }
}
