package io.sockeye.core;

import java.util.Objects;

/**
 * The optional sticky-session cookie set on the handshake response only (Engine.IO {@code cookie}
 * option), meant for cookie-based affinity at a load balancer. Defaults match socket.io:
 * {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax}.
 */
public record CookieOptions(String name, String path, boolean httpOnly, String sameSite, boolean secure) {

    public CookieOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }

    public static CookieOptions defaults() {
        return new CookieOptions("io", "/", true, "Lax", false);
    }

    /** The {@code Set-Cookie} header value for a session id. */
    public String headerValue(String sid) {
        StringBuilder sb = new StringBuilder(name).append('=').append(sid).append("; Path=").append(path);
        if (httpOnly) {
            sb.append("; HttpOnly");
        }
        if (secure) {
            sb.append("; Secure");
        }
        if (sameSite != null) {
            sb.append("; SameSite=").append(sameSite);
        }
        return sb.toString();
    }
}
