package io.sockeye.server.gateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Identity values (user ids) as header values, for HTTP backends and broker message headers alike. */
public final class HeaderValue {

    private HeaderValue() {
    }

    /**
     * Printable ASCII as it is; anything else (spaces, control characters, non-ASCII, {@code %}) makes the
     * whole value percent-encoded UTF-8, so a user id can never break a header line.
     */
    public static String encode(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '%') {
                return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
            }
        }
        return value;
    }
}
