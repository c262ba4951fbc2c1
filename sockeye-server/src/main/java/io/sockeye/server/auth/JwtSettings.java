package io.sockeye.server.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How tokens are checked. At most one key source is set, and it fixes which signature algorithms are
 * accepted, so a token can never pick the algorithm family that verifies it (the classic "algorithm
 * confusion" attack, e.g. an HS256 token "signed" with a public RSA key used as an HMAC secret):
 * <ul>
 *   <li>{@code hmacSecret}: HS256, HS384, HS512. The secret is the UTF-8 bytes of the string (as
 *       {@code jsonwebtoken}'s {@code jwt.sign(payload, "secret")} uses it) and must be at least 32 bytes.
 *       RFC 7518 §3.2 asks for "a key of the same size as the hash output ... or larger", so its length
 *       decides which of the three are accepted ({@link #hmacAlgorithms(int)}): 32 bytes HS256, 48 also
 *       HS384, 64 all three. A token whose algorithm needs a longer secret is refused as
 *       {@code algorithm not allowed}, never as a bad signature.</li>
 *   <li>{@code publicKeyPem}: a PEM file holding one public key ({@code PUBLIC KEY} or
 *       {@code RSA PUBLIC KEY}) or a certificate. RSA keys accept RS256/384/512 and PS256/384/512; EC
 *       keys the one ES algorithm of their curve (P-256 ES256, P-384 ES384, P-521 ES512); Ed25519 keys
 *       EdDSA (and its fully specified name Ed25519). A {@code kid} in the token is not consulted.</li>
 *   <li>{@code jwksUrl}: an {@code http(s)} JWK Set. RS*, PS*, ES256/384/512 and EdDSA are accepted,
 *       each only with a key of the matching type (and curve); HS* never. Keys are chosen by
 *       {@code kid}, cached, refreshed when a token names an unknown {@code kid}, and kept through an
 *       outage of the URL (see {@link JwksOptions}).</li>
 * </ul>
 * With none set ({@link #none()}), token authentication is off: {@link TokenVerifier#verify} refuses
 * every token.
 *
 * <p>Blank strings count as unset (convenient for empty environment variables).
 *
 * @param hmacSecret   shared secret for HS*; or {@code null}
 * @param publicKeyPem PEM public key or certificate file; or {@code null}
 * @param jwksUrl      JWK Set URL; or {@code null}
 * @param issuer       when set, the token's {@code iss} must equal it
 * @param audience     when set, the token's {@code aud} must contain it
 * @param clockSkew    tolerance for {@code exp} and {@code nbf} against this server's clock;
 *                     {@code null} means {@link #DEFAULT_CLOCK_SKEW} (30 s); whole seconds are used
 */
public record JwtSettings(String hmacSecret, Path publicKeyPem, URI jwksUrl, String issuer, String audience, Duration clockSkew) {

    /** 30 seconds: enough for ordinary clock drift, short enough that an expired token dies soon. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    /** RFC 7518 §3.2: the HS256 key must be at least 256 bits. */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    /** RFC 7518 §3.2: the key of HS256, HS384 and HS512 is at least as long as the hash output. */
    private static final Map<String, Integer> HMAC_MIN_BYTES = orderedMap("HS256", 32, "HS384", 48, "HS512", 64);

    public JwtSettings {
        hmacSecret = blankToNull(hmacSecret);
        issuer = blankToNull(issuer);
        audience = blankToNull(audience);
        clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("JWT clock skew must not be negative: " + clockSkew);
        }
        int sources = (hmacSecret != null ? 1 : 0) + (publicKeyPem != null ? 1 : 0) + (jwksUrl != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("set only one of the JWT secret, the JWT public key file and the JWKS URL");
        }
        if (hmacSecret != null && hmacSecret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_HMAC_SECRET_BYTES
                    + " bytes (256 bits) long for HS256");
        }
        if (jwksUrl != null) {
            String scheme = jwksUrl.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || jwksUrl.getHost() == null) {
                throw new IllegalArgumentException("the JWKS URL must be an absolute http or https URL: " + jwksUrl);
            }
        }
    }

    /**
     * The HMAC algorithms a secret of {@code secretBytes} bytes may verify, weakest first: a secret shorter
     * than an algorithm's hash output does not give that algorithm its strength (RFC 7518 §3.2).
     */
    public static List<String> hmacAlgorithms(int secretBytes) {
        List<String> out = new ArrayList<>(3);
        HMAC_MIN_BYTES.forEach((alg, min) -> {
            if (secretBytes >= min) {
                out.add(alg);
            }
        });
        return List.copyOf(out);
    }

    /**
     * The shortest secret each HMAC algorithm accepts, e.g. {@code HS512 -> 64}; what the configuration
     * warning names when the secret leaves some out.
     */
    public static Map<String, Integer> hmacMinimumBytes() {
        return HMAC_MIN_BYTES;
    }

    private static Map<String, Integer> orderedMap(String k1, int v1, String k2, int v2, String k3, int v3) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        m.put(k3, v3);
        return Collections.unmodifiableMap(m);
    }

    /** Token authentication off. */
    public static JwtSettings none() {
        return new JwtSettings(null, null, null, null, null, null);
    }

    /** HS256/384/512 with this shared secret. */
    public static JwtSettings hmac(String secret) {
        return new JwtSettings(secret, null, null, null, null, null);
    }

    /** The algorithms of the public key in this PEM file. */
    public static JwtSettings publicKey(Path pem) {
        return new JwtSettings(null, pem, null, null, null, null);
    }

    /** Keys from this JWK Set URL. */
    public static JwtSettings jwks(URI url) {
        return new JwtSettings(null, null, url, null, null, null);
    }

    public JwtSettings withIssuer(String issuer) {
        return new JwtSettings(hmacSecret, publicKeyPem, jwksUrl, issuer, audience, clockSkew);
    }

    public JwtSettings withAudience(String audience) {
        return new JwtSettings(hmacSecret, publicKeyPem, jwksUrl, issuer, audience, clockSkew);
    }

    public JwtSettings withClockSkew(Duration clockSkew) {
        return new JwtSettings(hmacSecret, publicKeyPem, jwksUrl, issuer, audience, clockSkew);
    }

    /** True when a key source is set, i.e. tokens can be verified. */
    public boolean enabled() {
        return hmacSecret != null || publicKeyPem != null || jwksUrl != null;
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "JwtSettings[hmacSecret=" + (hmacSecret == null ? "null" : "***") + ", publicKeyPem=" + publicKeyPem
                + ", jwksUrl=" + jwksUrl + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew=" + clockSkew + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
