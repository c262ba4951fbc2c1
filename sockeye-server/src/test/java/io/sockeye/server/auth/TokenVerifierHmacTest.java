package io.sockeye.server.auth;

import io.sockeye.testkit.ManualClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.sockeye.server.auth.Tokens.accepted;
import static io.sockeye.server.auth.Tokens.claims;
import static io.sockeye.server.auth.Tokens.hmac;
import static io.sockeye.server.auth.Tokens.refused;
import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierHmacTest {

    // 64 bytes: long enough for HS512 too
    private static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMN";
    private static final byte[] KEY = SECRET.getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = ManualClock.startingNow();
    private final TokenVerifier verifier = verifier(JwtSettings.hmac(SECRET));

    private TokenVerifier verifier(JwtSettings settings) {
        return new TokenVerifier(settings, JwksOptions.defaults(), clock);
    }

    @AfterEach
    void close() {
        verifier.close();
    }

    @Test
    void acceptsHs256Hs384AndHs512WithTheSharedSecret() {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
            VerifiedToken token = accepted(verifier.verify(hmac(KEY, alg, claims("alice").build())));
            assertThat(token.subject()).isEqualTo("alice");
        }
    }

    @Test
    void answersAtOnceWithAConfiguredKey() {
        assertThat(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").build()))).isCompleted();
    }

    @Test
    void exposesExpiryGrantsAndClaims() {
        Instant exp = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = claims("alice")
                .expirationTime(Date.from(exp))
                .claim("rooms", Map.of("subscribe", List.of("chat:*"), "publish", List.of("chat:lobby")))
                .claim("name", "Alice")
                .build();
        VerifiedToken token = accepted(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims)));
        assertThat(token.expiresAt()).isEqualTo(exp);
        assertThat(token.grants()).isEqualTo(new RoomGrants(List.of("chat:*"), List.of("chat:lobby"), List.of()));
        assertThat(token.claims()).containsEntry("name", "Alice").containsEntry("sub", "alice");
        assertThat(token.principal()).isEqualTo(new Principal("alice", token.grants()));
    }

    @Test
    void aTokenWithoutExpiryNeverExpires() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").build();
        VerifiedToken token = accepted(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims)));
        assertThat(token.expiresAt()).isNull();
        assertThat(token.grants()).isEqualTo(RoomGrants.none());
    }

    @Test
    void refusesMissingTooLargeAndMalformedTokens() {
        assertThat(refused(verifier.verify(null))).isEqualTo("missing token");
        assertThat(refused(verifier.verify("  "))).isEqualTo("missing token");
        assertThat(refused(verifier.verify("x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1)))).isEqualTo("token too large");
        assertThat(refused(verifier.verify("not-a-jwt"))).isEqualTo("malformed token");
        assertThat(refused(verifier.verify("!!!.e30.sig"))).isEqualTo("malformed token");
        String header = Base64URL.encode("{\"alg\":\"HS256\"}").toString();
        assertThat(refused(verifier.verify(header + ".bm90IGpzb24.c2ln"))).isEqualTo("malformed token");
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        byte[] other = "another-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ".getBytes(StandardCharsets.UTF_8);
        assertThat(refused(verifier.verify(hmac(other, JWSAlgorithm.HS256, claims("alice").build())))).isEqualTo("invalid signature");
    }

    @Test
    void refusesATamperedPayload() {
        String token = hmac(KEY, JWSAlgorithm.HS256, claims("alice").build());
        String[] parts = token.split("\\.");
        String forged = Base64URL.encode(claims("admin").build().toString()).toString();
        assertThat(refused(verifier.verify(parts[0] + "." + forged + "." + parts[2]))).isEqualTo("invalid signature");
    }

    @Test
    void refusesAlgNoneWithOrWithoutASignature() {
        String unsecured = new PlainJWT(claims("alice").build()).serialize();
        assertThat(refused(verifier.verify(unsecured))).isEqualTo("algorithm not allowed");
        String[] parts = unsecured.split("\\.");
        assertThat(refused(verifier.verify(parts[0] + "." + parts[1] + ".c2ln"))).isEqualTo("algorithm not allowed");
        String upper = Base64URL.encode("{\"alg\":\"NONE\"}").toString();
        assertThat(refused(verifier.verify(upper + "." + parts[1] + "."))).isEqualTo("algorithm not allowed");
        assertThat(new PlainHeader().getAlgorithm().getName()).isEqualTo("none");
    }

    @Test
    void refusesAsymmetricAlgorithmsWhenASecretIsConfigured() {
        var rsa = Tokens.rsa("k1");
        assertThat(refused(verifier.verify(Tokens.sign(rsa, JWSAlgorithm.RS256, claims("alice").build()))))
                .isEqualTo("algorithm not allowed");
    }

    @Test
    void refusesExpiredTokensBeyondTheClockSkew() {
        Instant now = clock.instant();
        String expired = hmac(KEY, JWSAlgorithm.HS256, claims("alice").expirationTime(Date.from(now.minusSeconds(300))).build());
        assertThat(refused(verifier.verify(expired))).isEqualTo("token expired");
        String withinSkew = hmac(KEY, JWSAlgorithm.HS256, claims("alice").expirationTime(Date.from(now.minusSeconds(10))).build());
        accepted(verifier.verify(withinSkew));
    }

    @Test
    void aTokenExpiresWhenTheClockPassesItsExpiry() {
        String token = hmac(KEY, JWSAlgorithm.HS256, claims("alice").expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
        accepted(verifier.verify(token));
        clock.advance(Duration.ofMinutes(2));
        assertThat(refused(verifier.verify(token))).isEqualTo("token expired");
    }

    @Test
    void refusesTokensNotYetValidBeyondTheClockSkew() {
        Instant now = clock.instant();
        String early = hmac(KEY, JWSAlgorithm.HS256, claims("alice").notBeforeTime(Date.from(now.plusSeconds(300))).build());
        assertThat(refused(verifier.verify(early))).isEqualTo("token not yet valid");
        String withinSkew = hmac(KEY, JWSAlgorithm.HS256, claims("alice").notBeforeTime(Date.from(now.plusSeconds(10))).build());
        accepted(verifier.verify(withinSkew));
    }

    @Test
    void aZeroClockSkewIsExact() {
        try (TokenVerifier strict = verifier(JwtSettings.hmac(SECRET).withClockSkew(Duration.ZERO))) {
            String token = hmac(KEY, JWSAlgorithm.HS256, claims("alice").expirationTime(Date.from(clock.instant().minusSeconds(10))).build());
            assertThat(refused(strict.verify(token))).isEqualTo("token expired");
        }
    }

    @Test
    void checksTheIssuerWhenConfigured() {
        try (TokenVerifier v = verifier(JwtSettings.hmac(SECRET).withIssuer("https://auth.example"))) {
            accepted(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").issuer("https://auth.example").build())));
            assertThat(refused(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").issuer("https://evil.example").build()))))
                    .isEqualTo("wrong issuer");
            assertThat(refused(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").build())))).isEqualTo("wrong issuer");
        }
    }

    @Test
    void checksTheAudienceWhenConfigured() {
        try (TokenVerifier v = verifier(JwtSettings.hmac(SECRET).withAudience("sockeye"))) {
            accepted(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").audience("sockeye").build())));
            accepted(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").audience(List.of("api", "sockeye")).build())));
            assertThat(refused(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").audience("api").build()))))
                    .isEqualTo("wrong audience");
            assertThat(refused(v.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").build())))).isEqualTo("wrong audience");
        }
    }

    @Test
    void requiresASubject() {
        JWTClaimsSet noSub = new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
        assertThat(refused(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, noSub)))).isEqualTo("missing subject");
        assertThat(refused(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims(" ").build())))).isEqualTo("missing subject");
    }

    @Test
    void checksTheSignatureBeforeTheClaims() {
        byte[] other = "another-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ".getBytes(StandardCharsets.UTF_8);
        String expiredForgery = hmac(other, JWSAlgorithm.HS256,
                claims("alice").expirationTime(Date.from(Instant.now().minusSeconds(3600))).build());
        assertThat(refused(verifier.verify(expiredForgery))).isEqualTo("invalid signature");
    }

    @Test
    void refusesAMalformedRoomsClaim() {
        assertThat(refused(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").claim("rooms", List.of("a")).build()))))
                .isEqualTo("invalid rooms claim");
        assertThat(refused(verifier.verify(hmac(KEY, JWSAlgorithm.HS256,
                claims("alice").claim("rooms", Map.of("subscribe", List.of(1))).build()))))
                .isEqualTo("invalid rooms claim");
    }

    @Test
    void aSecretShorterThanAnAlgorithmNeedsRefusesThatAlgorithmAsNotAllowedNeverAsABadSignature() {
        // RFC 7518 §3.2: HS384 needs a 48-byte key, HS512 a 64-byte one; 40 bytes are enough for HS256 only.
        byte[] forty = SECRET.substring(0, 40).getBytes(StandardCharsets.UTF_8);
        try (TokenVerifier v = verifier(JwtSettings.hmac(SECRET.substring(0, 40)))) {
            accepted(v.verify(hmac(forty, JWSAlgorithm.HS256, claims("alice").build())));
            // The issuer signs with the same 40 bytes (jsonwebtoken and others allow it): not a forgery.
            assertThat(refused(v.verify(Tokens.sign(new UncheckedMacSigner(forty), new JWSHeader(JWSAlgorithm.HS384),
                    claims("alice").build())))).isEqualTo("algorithm not allowed");
            assertThat(refused(v.verify(Tokens.sign(new UncheckedMacSigner(forty), new JWSHeader(JWSAlgorithm.HS512),
                    claims("alice").build())))).isEqualTo("algorithm not allowed");
        }
        byte[] fortyEight = SECRET.substring(0, 48).getBytes(StandardCharsets.UTF_8);
        try (TokenVerifier v = verifier(JwtSettings.hmac(SECRET.substring(0, 48)))) {
            accepted(v.verify(hmac(fortyEight, JWSAlgorithm.HS384, claims("alice").build())));
            assertThat(refused(v.verify(Tokens.sign(new UncheckedMacSigner(fortyEight), new JWSHeader(JWSAlgorithm.HS512),
                    claims("alice").build())))).isEqualTo("algorithm not allowed");
        }
        assertThat(JwtSettings.hmacAlgorithms(32)).containsExactly("HS256");
        assertThat(JwtSettings.hmacAlgorithms(48)).containsExactly("HS256", "HS384");
        assertThat(JwtSettings.hmacAlgorithms(64)).containsExactly("HS256", "HS384", "HS512");
    }

    @Test
    void aSubjectThatIsNotAStringIsAMalformedToken() {
        // RFC 7519 §4.1.2: sub is a StringOrURI. 42, 42.0 and "42" would otherwise all become user "42"-ish.
        for (Object sub : List.of(42, 42.5, true, List.of("alice"), Map.of("id", "alice"))) {
            String token = hmac(KEY, JWSAlgorithm.HS256, claims("placeholder").claim("sub", sub).build());
            assertThat(refused(verifier.verify(token))).as("sub %s", sub).isEqualTo("malformed token");
        }
        accepted(verifier.verify(hmac(KEY, JWSAlgorithm.HS256, claims("42").build())));
    }

    @Test
    void refusesEveryTokenWhenNotConfigured() {
        try (TokenVerifier off = verifier(JwtSettings.none())) {
            assertThat(off.enabled()).isFalse();
            assertThat(refused(off.verify(hmac(KEY, JWSAlgorithm.HS256, claims("alice").build()))))
                    .isEqualTo("token authentication is not configured");
        }
    }

    @Test
    void unwrapsFailuresForCallers() {
        AuthException e = AuthException.from(new CompletionException(new AuthException("token expired")));
        assertThat(e.reason()).isEqualTo("token expired");
        assertThat(AuthException.from(new IllegalStateException("bug")).reason()).isEqualTo("token verification failed");
    }
}
