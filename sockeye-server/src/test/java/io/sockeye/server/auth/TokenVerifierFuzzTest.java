package io.sockeye.server.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a client sends as its token, {@link TokenVerifier#verify} answers with a verified token or an
 * {@link AuthException} of a documented reason — never another exception, never a cause that is a bug —
 * at once (the keys are configured, so nothing is waited for), and allocating in proportion to the
 * token. Verifiers: a 64-byte secret, a 40-byte one (HS256 only) with issuer and audience, an EC P-256
 * public key.
 */
class TokenVerifierFuzzTest {

    /** Every reason {@link TokenVerifier} documents. */
    static final Set<String> REASONS = Set.of("missing token", "token too large", "malformed token",
            "algorithm not allowed", "unknown signing key", "signing keys unavailable", "invalid signature",
            "token expired", "token not yet valid", "wrong issuer", "wrong audience", "missing subject",
            "invalid rooms claim", "invalid claims", "token authentication is not configured");

    private static final byte[] SECRET = "fuzz-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMN"
            .getBytes(StandardCharsets.UTF_8);
    /** Three verifiers, each decoding base64, then JSON twice (header and claims), per token. */
    private static final int BYTES_PER_INPUT_BYTE = 256;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static final List<TokenVerifier> VERIFIERS = List.of(
            verifier(JwtSettings.hmac(new String(SECRET, StandardCharsets.UTF_8))),
            verifier(JwtSettings.hmac(new String(SECRET, StandardCharsets.UTF_8).substring(0, 40))
                    .withIssuer("https://issuer.example").withAudience("sockeye")),
            verifier(JwtSettings.publicKey(ecPublicKeyFile())));

    private static TokenVerifier verifier(JwtSettings settings) {
        return new TokenVerifier(settings, JwksOptions.defaults(), CLOCK);
    }

    private static Path ecPublicKeyFile() {
        try {
            ECKey key = Tokens.ec(Curve.P_256, "fuzz");
            Path file = Files.createTempFile("sockeye-fuzz-ec", ".pem");
            file.toFile().deleteOnExit();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(key.toECPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(file, pem);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any string as a token, as the CONNECT payload's {@code auth.token} or a {@code refresh} carries it. */
    @FuzzTest
    void compactJws(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        FuzzContract.boundedAllocation(input.length, BYTES_PER_INPUT_BYTE, () -> {
            for (TokenVerifier verifier : VERIFIERS) {
                assertAnswered(verifier.verify(token));
            }
        });
    }

    /**
     * A header and a claims set, one per line (the header defaults to HS256), signed with the configured
     * secret, so that the claims checks are reached whatever the fuzzer writes.
     */
    @FuzzTest
    void signedClaims(byte[] input) throws GeneralSecurityException {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String header = newline < 0 ? "{\"alg\":\"HS256\"}" : text.substring(0, newline);
        String payload = newline < 0 ? text : text.substring(newline + 1);
        String mac = header.contains("HS512") ? "HmacSHA512" : header.contains("HS384") ? "HmacSHA384" : "HmacSHA256";
        String signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload);
        Mac hmac = Mac.getInstance(mac);
        hmac.init(new SecretKeySpec(SECRET, mac));
        String token = signingInput + "." + Base64URL.encode(hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        FuzzContract.boundedAllocation(token.length(), BYTES_PER_INPUT_BYTE, () -> {
            for (TokenVerifier verifier : VERIFIERS) {
                assertAnswered(verifier.verify(token));
            }
        });
    }

    static void assertAnswered(CompletableFuture<VerifiedToken> result) {
        assertThat(result).as("answered at once with configured keys").isDone();
        try {
            VerifiedToken token = result.get();
            assertThat(token.subject()).isNotBlank();
            assertThat(token.grants()).isNotNull();
        } catch (ExecutionException e) {
            AuthException refusal = AuthException.from(e);
            assertThat(refusal.getCause()).as("a refusal, not a bug: %s", refusal.getCause()).isNull();
            assertThat(REASONS).contains(refusal.reason());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
