package io.sockeye.server.auth;

import io.sockeye.testkit.ManualClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.sockeye.server.auth.Tokens.accepted;
import static io.sockeye.server.auth.Tokens.claims;
import static io.sockeye.server.auth.Tokens.refused;
import static io.sockeye.server.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against a real JWK Set endpoint; time moves only when the test moves {@link ManualClock}. */
class TokenVerifierJwksTest {

    private final ManualClock clock = ManualClock.startingNow();
    // Key generation is the slow part of these tests: make each key once.
    private static final RSAKey rsa = Tokens.rsa("rsa-1");
    private static final RSAKey stranger = Tokens.rsa("stranger");
    private static final RSAKey rotated = Tokens.rsa("rsa-2");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private JwksServer server(JWK... keys) throws Exception {
        JwksServer server = JwksServer.start(keys);
        toClose.add(server);
        return server;
    }

    private TokenVerifier verifier(JwksServer server) {
        TokenVerifier v = new TokenVerifier(JwtSettings.jwks(server.uri()), JwksOptions.defaults(), clock);
        toClose.add(v);
        return v;
    }

    /** A verifier that has downloaded the key set once. */
    private TokenVerifier warmVerifier(JwksServer server) {
        TokenVerifier v = verifier(server);
        accepted(v.verify(token(rsa)));
        assertThat(server.hits()).isEqualTo(1);
        return v;
    }

    private static RSAKey renamed(RSAKey key, String kid) {
        return new RSAKey.Builder(key).keyID(kid).build();
    }

    private String token(RSAKey key) {
        return sign(key, JWSAlgorithm.RS256, claims("alice").build());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void acceptsRsaPssEcAndEdDsaKeysFromTheSet() throws Exception {
        ECKey ec = Tokens.ec(Curve.P_256, "ec-1");
        OctetKeyPair ed = Tokens.ed25519("ed-1");
        TokenVerifier v = verifier(server(rsa, ec, ed));
        assertThat(accepted(v.verify(sign(rsa, JWSAlgorithm.RS256, claims("a").build()))).subject()).isEqualTo("a");
        assertThat(accepted(v.verify(sign(rsa, JWSAlgorithm.PS256, claims("b").build()))).subject()).isEqualTo("b");
        assertThat(accepted(v.verify(sign(ec, JWSAlgorithm.ES256, claims("c").build()))).subject()).isEqualTo("c");
        assertThat(accepted(v.verify(sign(ed, JWSAlgorithm.EdDSA, claims("d").build()))).subject()).isEqualTo("d");
    }

    @Test
    void answersFromTheCacheWithoutWaitingOrDownloadingAgain() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        for (int i = 0; i < 20; i++) {
            CompletableFuture<VerifiedToken> result = v.verify(token(rsa));
            assertThat(result).isCompleted(); // no hop to another thread: safe and fast on an event loop
            accepted(result);
        }
        assertThat(server.hits()).isEqualTo(1);
    }

    @Test
    void returnsBeforeTheDownloadFinishes() throws Exception {
        JwksServer server = server(rsa);
        server.hold();
        TokenVerifier v = verifier(server);
        CompletableFuture<VerifiedToken> result = v.verify(token(rsa));
        assertThat(result).isNotDone();
        server.release();
        assertThat(accepted(result).subject()).isEqualTo("alice");
    }

    @Test
    void downloadsAgainWhenATokenNamesAnUnknownKid() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        server.serve(List.of(rsa, rotated));
        assertThat(accepted(v.verify(token(rotated))).subject()).isEqualTo("alice");
        assertThat(server.hits()).isEqualTo(2);
        accepted(v.verify(token(rotated)));
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void rateLimitsDownloadsForMadeUpKids() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        for (int i = 0; i < 10; i++) {
            assertThat(refused(v.verify(token(renamed(stranger, "made-up-" + i))))).isEqualTo("unknown signing key");
        }
        // two downloads per 30 s: the first one at start, one left for a rotation, then nothing
        assertThat(server.hits()).isEqualTo(2);
        accepted(v.verify(token(rsa)));

        clock.advance(Duration.ofSeconds(31));
        assertThat(refused(v.verify(token(renamed(stranger, "made-up-again"))))).isEqualTo("unknown signing key");
        assertThat(server.hits()).isEqualTo(3);
    }

    @Test
    void downloadsAgainAfterTheCacheExpires() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        clock.advance(Duration.ofMinutes(6));
        accepted(v.verify(token(rsa)));
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void refreshesInTheBackgroundShortlyBeforeTheCacheExpires() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        clock.advance(Duration.ofMinutes(4).plusSeconds(45)); // within the last tenth of the 5 min time to live
        assertThat(v.verify(token(rsa))).isCompleted();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.hits() == 2);
        clock.advance(Duration.ofSeconds(30)); // the first download is now older than the time to live
        // once the background download has landed, answers are immediate again, with no further download
        await().atMost(Duration.ofSeconds(30)).until(() -> v.verify(token(rsa)).isDone());
        accepted(v.verify(token(rsa)));
        assertThat(server.hits()).isEqualTo(2);
    }

    @Test
    void keepsServingTheCachedKeysWhileTheEndpointIsDown() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        server.stop();
        clock.advance(Duration.ofMinutes(6)); // past the cache's time to live: a download is due and fails
        assertThat(accepted(v.verify(token(rsa))).subject()).isEqualTo("alice");
        assertThat(v.verify(token(rsa))).isCompleted();
        assertThat(refused(v.verify(token(renamed(stranger, "rsa-9"))))).isEqualTo("unknown signing key");
    }

    @Test
    void aDocumentThatIsNotAKeySetIsAnOutageNotABug() throws Exception {
        for (String document : List.of("null", "{\"keys\":7}")) {
            JwksServer server = server(rsa);
            TokenVerifier v = warmVerifier(server);
            server.serveRaw(document);
            clock.advance(Duration.ofMinutes(6)); // past the cache's time to live: the download gives no key set
            assertThat(accepted(v.verify(token(rsa))).subject()).as(document).isEqualTo("alice");

            TokenVerifier fresh = verifier(server);
            assertThat(refused(fresh.verify(token(rsa)))).as(document).isEqualTo("signing keys unavailable");
        }
    }

    @Test
    void givesUpOnKeysOlderThanTheOutageTolerance() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        server.stop();
        clock.advance(Duration.ofMinutes(61));
        String longLived = sign(rsa, JWSAlgorithm.RS256,
                claims("alice").expirationTime(Date.from(Instant.now().plus(Duration.ofHours(3)))).build());
        assertThat(refused(v.verify(longLived))).isEqualTo("signing keys unavailable");
    }

    @Test
    void refusesTokensWhenTheKeySetWasNeverReachable() throws Exception {
        JwksServer server = server(rsa);
        server.stop();
        TokenVerifier v = verifier(server);
        assertThat(refused(v.verify(token(rsa)))).isEqualTo("signing keys unavailable");
    }

    @Test
    void refusesATokenWhoseSignatureDoesNotMatchTheKeyItNames() throws Exception {
        TokenVerifier v = warmVerifier(server(rsa));
        assertThat(refused(v.verify(token(renamed(stranger, rsa.getKeyID()))))).isEqualTo("invalid signature");
    }

    @Test
    void refusesHmacAndAlgorithmConfusionWhateverTheSecret() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = warmVerifier(server);
        List<byte[]> guesses = List.of(
                rsa.toRSAPublicKey().getEncoded(),
                rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                rsa.getModulus().decode());
        for (byte[] secret : guesses) {
            String forged = Tokens.sign(new MACSigner(secret), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
                    claims("admin").build());
            assertThat(refused(v.verify(forged))).isEqualTo("algorithm not allowed");
        }
        assertThat(server.hits()).isEqualTo(1);
    }

    @Test
    void refusesAKeyOfTheWrongTypeForTheAlgorithm() throws Exception {
        // An EC key published under the kid the token names cannot verify an RS256 token.
        ECKey ec = new ECKey.Builder(Tokens.ec(Curve.P_256, "shared")).build();
        TokenVerifier v = verifier(server(ec));
        assertThat(refused(v.verify(token(renamed(stranger, "shared"))))).isEqualTo("unknown signing key");
    }

    @Test
    void checksClaimsOfJwksTokensLikeAnyOther() throws Exception {
        JwksServer server = server(rsa);
        TokenVerifier v = new TokenVerifier(JwtSettings.jwks(server.uri()).withIssuer("https://idp.example").withAudience("sockeye"),
                JwksOptions.defaults(), clock);
        toClose.add(v);
        accepted(v.verify(sign(rsa, JWSAlgorithm.RS256, claims("alice").issuer("https://idp.example").audience("sockeye").build())));
        assertThat(refused(v.verify(sign(rsa, JWSAlgorithm.RS256, claims("alice").issuer("https://idp.example").build()))))
                .isEqualTo("wrong audience");
        String expired = sign(rsa, JWSAlgorithm.RS256, claims("alice").issuer("https://idp.example").audience("sockeye")
                .expirationTime(Date.from(Instant.now().minusSeconds(120))).build());
        assertThat(refused(v.verify(expired))).isEqualTo("token expired");
    }
}
