package io.sockeye.server.auth;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies the JWT a client presents in its handshake, per {@link JwtSettings}.
 *
 * <p>Thread-safe, and it never blocks the calling thread: when the keys are at hand (a configured
 * secret or PEM key, or a JWK Set already in memory) the returned future is complete when
 * {@link #verify} returns; otherwise it completes on the verifier's own key-download thread, so
 * callers on a Netty event loop must hop back to it themselves if they need to.
 *
 * <p>A refused token completes the future exceptionally with an {@link AuthException} (use
 * {@link AuthException#from(Throwable)} to unwrap), whose reason is one of:
 * <dl>
 *   <dt>{@code missing token}</dt><dd>no token, or a blank one</dd>
 *   <dt>{@code token too large}</dt><dd>longer than {@value #MAX_TOKEN_CHARS} characters</dd>
 *   <dt>{@code malformed token}</dt><dd>not a compact JWS with a JSON claims set (including registered
 *       claims of the wrong type, e.g. a string {@code exp} or a numeric {@code sub})</dd>
 *   <dt>{@code algorithm not allowed}</dt><dd>{@code alg: none}, an encrypted token, or an algorithm
 *       that the configured key does not fix (see {@link JwtSettings}: its type, and for a secret its
 *       length)</dd>
 *   <dt>{@code unknown signing key}</dt><dd>the JWK Set has no key for the token's {@code kid}, even
 *       after a refresh</dd>
 *   <dt>{@code signing keys unavailable}</dt><dd>the JWK Set could not be downloaded and none is cached
 *       (or it is older than the outage tolerance)</dd>
 *   <dt>{@code invalid signature}</dt><dd>the signature does not verify with the key</dd>
 *   <dt>{@code token expired}</dt><dd>{@code exp} is in the past (beyond the clock skew)</dd>
 *   <dt>{@code token not yet valid}</dt><dd>{@code nbf} is in the future (beyond the clock skew)</dd>
 *   <dt>{@code wrong issuer}</dt><dd>an issuer is configured and {@code iss} differs</dd>
 *   <dt>{@code wrong audience}</dt><dd>an audience is configured and {@code aud} does not hold it</dd>
 *   <dt>{@code missing subject}</dt><dd>no {@code sub}, or a blank one</dd>
 *   <dt>{@code invalid rooms claim}</dt><dd>{@code rooms} is not an object of string arrays</dd>
 *   <dt>{@code invalid claims}</dt><dd>any other claim problem</dd>
 *   <dt>{@code token authentication is not configured}</dt><dd>{@link JwtSettings#none()}</dd>
 * </dl>
 * The signature is checked before the claims: a forged token is refused as {@code invalid signature}
 * whatever its claims say.
 */
public final class TokenVerifier implements AutoCloseable {

    /** Longest token accepted; real JWTs are a few hundred bytes to a few KiB. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    /** Hands the keys found for one token to Nimbus's processor. */
    record KeyContext(List<Key> keys) implements SecurityContext {
    }

    private final JwtSettings settings;
    private final KeyResolver keys;
    private final DefaultJWTProcessor<KeyContext> processor = new DefaultJWTProcessor<>();

    /** A verifier on the system clock with default JWKS tuning. */
    public TokenVerifier(JwtSettings settings) {
        this(settings, JwksOptions.defaults(), Clock.systemUTC());
    }

    /**
     * @param settings what to accept
     * @param jwks     JWK Set cache tuning (used only with {@link JwtSettings#jwksUrl()})
     * @param clock    the time for {@code exp}/{@code nbf} and the JWK Set cache
     * @throws IllegalArgumentException if the PEM file cannot be used (the message names the file)
     */
    public TokenVerifier(JwtSettings settings, JwksOptions jwks, Clock clock) {
        this.settings = settings;
        if (settings.hmacSecret() != null) {
            keys = StaticKeyResolver.hmac(settings.hmacSecret());
        } else if (settings.publicKeyPem() != null) {
            keys = StaticKeyResolver.pem(settings.publicKeyPem());
        } else if (settings.jwksUrl() != null) {
            keys = new JwksKeyResolver(settings.jwksUrl(), jwks, clock);
        } else {
            keys = null;
        }
        // Any "typ" is fine: tokens come from many kinds of issuers, and the key already pins who signed them.
        processor.setJWSTypeVerifier((type, context) -> { });
        processor.setJWSKeySelector((header, context) -> context.keys());
        processor.setJWSVerifierFactory(new JwsVerifiers());
        processor.setJWTClaimsSetVerifier(new ClaimsPolicy(settings.issuer(), settings.audience(), settings.clockSkew(), clock));
    }

    /** The settings this verifier applies. */
    public JwtSettings settings() {
        return settings;
    }

    /** True when a key source is configured, i.e. some token can pass. */
    public boolean enabled() {
        return keys != null;
    }

    /**
     * Checks a token. See the class comment for threading and the failure reasons.
     *
     * @param token the compact JWT, as the client sent it
     */
    public CompletableFuture<VerifiedToken> verify(String token) {
        if (keys == null) {
            return CompletableFuture.failedFuture(new AuthException("token authentication is not configured"));
        }
        if (token == null || token.isBlank()) {
            return CompletableFuture.failedFuture(new AuthException("missing token"));
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return CompletableFuture.failedFuture(new AuthException("token too large"));
        }
        SignedJWT jwt;
        try {
            jwt = parse(token.strip());
        } catch (AuthException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<VerifiedToken> result = new CompletableFuture<>();
        keys.keysFor(jwt.getHeader()).whenComplete((candidates, failure) -> {
            if (failure != null) {
                result.completeExceptionally(AuthException.from(failure));
                return;
            }
            try {
                result.complete(check(jwt, candidates));
            } catch (RuntimeException e) {
                result.completeExceptionally(AuthException.from(e));
            }
        });
        return result;
    }

    private SignedJWT parse(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new AuthException("malformed token");
        }
        Header header;
        try {
            header = Header.parse(new Base64URL(token.substring(0, dot)));
        } catch (ParseException | RuntimeException e) {
            throw new AuthException("malformed token");
        }
        // RFC 8725 §3.1: "libraries MUST enable the caller to specify a supported set of algorithms and
        // MUST NOT use any other algorithms". "none" and JWE headers are never in that set, and the set is
        // chosen by the configured key, never by the token (no HS256 with an RSA public key as secret).
        if (!(header instanceof JWSHeader jws) || !keys.algorithms().contains(jws.getAlgorithm())) {
            throw new AuthException("algorithm not allowed");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            jwt.getJWTClaimsSet(); // a payload that is not a JSON claims set is malformed, signed or not
            // RFC 7519 §4.1.2: "The sub value is a case-sensitive string containing a StringOrURI value."
            // Nimbus turns a number into text; refusing it keeps 42, 42.0 and "42" from naming one user.
            Object sub = jwt.getPayload().toJSONObject().get("sub");
            if (sub != null && !(sub instanceof String)) {
                throw new AuthException("malformed token");
            }
            return jwt;
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        }
    }

    private VerifiedToken check(SignedJWT jwt, List<Key> candidates) {
        if (candidates.isEmpty()) {
            throw new AuthException("unknown signing key");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, new KeyContext(candidates));
        } catch (ClaimsPolicy.Rejected e) {
            throw new AuthException(e.reason);
        } catch (BadJWSException e) {
            throw new AuthException("invalid signature");
        } catch (BadJWTException e) {
            throw new AuthException("invalid claims");
        } catch (BadJOSEException | JOSEException e) {
            // e.g. a key of the wrong type for the algorithm: treat like any signature that does not verify
            throw new AuthException("invalid signature");
        }
        RoomGrants grants;
        try {
            grants = RoomGrants.fromClaim(claims.getClaim("rooms"));
        } catch (IllegalArgumentException e) {
            throw new AuthException("invalid rooms claim");
        }
        Date exp = claims.getExpirationTime();
        return new VerifiedToken(claims.getSubject(), exp == null ? null : exp.toInstant(), grants, claims.toJSONObject());
    }

    /** Stops the JWK Set download thread, if any. */
    @Override
    public void close() {
        if (keys != null) {
            keys.close();
        }
    }
}
