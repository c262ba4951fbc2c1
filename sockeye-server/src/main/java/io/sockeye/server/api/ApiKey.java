package io.sockeye.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The configured API key, checked against an {@code Authorization: Bearer <key>} header in constant
 * time: both sides are hashed to SHA-256 first, so {@link MessageDigest#isEqual} compares equal-length
 * arrays and neither the key's content nor its length leaks through timing.
 */
final class ApiKey {

    private static final String BEARER = "bearer ";
    private final byte[] expected;

    ApiKey(String key) {
        this.expected = sha256(key);
    }

    /** Whether the header carries this key. */
    boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String presented = authorizationHeader.substring(BEARER.length()).trim();
        return MessageDigest.isEqual(expected, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
