package io.sockeye.server.auth;

import io.sockeye.testkit.ManualClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeyTypeException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static io.sockeye.server.auth.Tokens.accepted;
import static io.sockeye.server.auth.Tokens.claims;
import static io.sockeye.server.auth.Tokens.refused;
import static io.sockeye.server.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierPemTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.startingNow();

    private TokenVerifier verifier(Path pem) {
        return new TokenVerifier(JwtSettings.publicKey(pem), JwksOptions.defaults(), clock);
    }

    private Path pem(String name, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text.toString());
        return file;
    }

    private Path rsaPem(RSAKey key) throws Exception {
        return pem("rsa.pem", key.toRSAPublicKey());
    }

    @Test
    void acceptsRs256AndPs256WithAnRsaPublicKey() throws Exception {
        RSAKey key = Tokens.rsa("k1");
        try (TokenVerifier v = verifier(rsaPem(key))) {
            for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
                assertThat(accepted(v.verify(sign(key, alg, claims("alice").build()))).subject()).isEqualTo("alice");
            }
            // a kid the PEM key cannot know about does not matter
            RSAKey renamed = new RSAKey.Builder(key).keyID("whatever").build();
            accepted(v.verify(sign(renamed, JWSAlgorithm.RS256, claims("alice").build())));
        }
    }

    @Test
    void acceptsEs256WithAP256PublicKeyAndNoOtherEsAlgorithm() throws Exception {
        ECKey key = Tokens.ec(Curve.P_256, "e1");
        ECKey p384 = Tokens.ec(Curve.P_384, "e2");
        try (TokenVerifier v = verifier(pem("ec.pem", key.toECPublicKey()))) {
            accepted(v.verify(sign(key, JWSAlgorithm.ES256, claims("alice").build())));
            assertThat(refused(v.verify(sign(p384, JWSAlgorithm.ES384, claims("alice").build())))).isEqualTo("algorithm not allowed");
            assertThat(refused(v.verify(sign(Tokens.rsa("r"), JWSAlgorithm.RS256, claims("alice").build()))))
                    .isEqualTo("algorithm not allowed");
        }
    }

    @Test
    void acceptsEdDsaWithAnEd25519PublicKey() throws Exception {
        OctetKeyPair key = Tokens.ed25519("d1");
        SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), key.getDecodedX());
        try (TokenVerifier v = verifier(pem("ed.pem", new PemObject("PUBLIC KEY", spki.getEncoded())))) {
            assertThat(accepted(v.verify(sign(key, JWSAlgorithm.EdDSA, claims("alice").build()))).subject()).isEqualTo("alice");
            assertThat(refused(v.verify(sign(Tokens.ed25519("d2"), JWSAlgorithm.EdDSA, claims("alice").build()))))
                    .isEqualTo("invalid signature");
        }
    }

    @Test
    void acceptsTheKeyOfACertificate() throws Exception {
        RSAKey key = Tokens.rsa("c1");
        X500Name name = new X500Name("CN=issuer");
        Instant now = Instant.now();
        var cert = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), name, key.toRSAPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.toRSAPrivateKey()));
        try (TokenVerifier v = verifier(pem("cert.pem", cert))) {
            accepted(v.verify(sign(key, JWSAlgorithm.RS256, claims("alice").build())));
        }
    }

    @Test
    void refusesATokenSignedWithAnotherKey() throws Exception {
        try (TokenVerifier v = verifier(rsaPem(Tokens.rsa("k1")))) {
            assertThat(refused(v.verify(sign(Tokens.rsa("k1"), JWSAlgorithm.RS256, claims("alice").build()))))
                    .isEqualTo("invalid signature");
        }
    }

    @Test
    void refusesHs256SignedWithThePublicKeyAsSecret() throws Exception {
        // The classic algorithm confusion attack: the attacker knows the public key and "signs" with it as an
        // HMAC secret, hoping the server feeds the same bytes to an HMAC check.
        RSAKey key = Tokens.rsa("k1");
        Path file = rsaPem(key);
        try (TokenVerifier v = verifier(file)) {
            for (byte[] secret : List.of(Files.readAllBytes(file), key.toRSAPublicKey().getEncoded())) {
                for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
                    String forged = Tokens.sign(new MACSigner(secret), new JWSHeader(alg), claims("admin").build());
                    assertThat(refused(v.verify(forged))).isEqualTo("algorithm not allowed");
                }
            }
        }
    }

    @Test
    void theVerifierFactoryRefusesAPublicKeyForHmacToo() throws Exception {
        // Second line of defence behind the algorithm allowlist.
        RSAKey key = Tokens.rsa("k1");
        assertThatThrownBy(() -> new JwsVerifiers().createJWSVerifier(new JWSHeader(JWSAlgorithm.HS256), key.toRSAPublicKey()))
                .isInstanceOf(KeyTypeException.class);
        Ed25519PublicKey ed = new Ed25519PublicKey(Tokens.ed25519("d"));
        assertThatThrownBy(() -> new JwsVerifiers().createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), ed))
                .isInstanceOf(KeyTypeException.class);
    }

    @Test
    void refusesUnusableKeyFilesAtConstruction() throws Exception {
        assertThatThrownBy(() -> verifier(dir.resolve("missing.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "hello");
        assertThatThrownBy(() -> verifier(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PUBLIC KEY");
        Path privateKey = pem("private.pem", Tokens.rsa("k").toRSAPrivateKey());
        assertThatThrownBy(() -> verifier(privateKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        Path weak = pem("weak.pem", small.generateKeyPair().getPublic());
        assertThatThrownBy(() -> verifier(weak)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2048");
    }
}
