package io.sockeye.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <key>} against the API key in constant time: both sides are
 * hashed to SHA-256 first, so {@link MessageDigest#isEqual} compares equal-length arrays and neither
 * the key's content nor its length leaks through timing. The key itself is never kept or logged. Used by
 * the HTTP API and by {@code /metrics} on the public port.
 */
public final class BearerToken {

    private static final String BEARER = "bearer ";
    private final byte[] expected;

    public BearerToken(String key) {
        this.expected = sha256(key);
    }

    /** Whether the {@code Authorization} header carries this key. */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(authorizationHeader.substring(BEARER.length()).trim()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
