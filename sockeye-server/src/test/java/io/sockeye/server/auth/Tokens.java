package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Makes real keys and signed tokens for the tests, and reads verification outcomes. */
final class Tokens {

    private Tokens() {
    }

    // Generating a 2048-bit RSA key takes a second or more on a small machine, so a few are made once and
    // handed out in turn: up to POOL consecutive calls return different key pairs.
    private static final int POOL = 4;
    private static final RSAKey[] RSA_KEYS = new RSAKey[POOL];
    private static int nextRsa;

    static synchronized RSAKey rsa(String kid) {
        int i = nextRsa++ % POOL;
        if (RSA_KEYS[i] == null) {
            try {
                RSA_KEYS[i] = new RSAKeyGenerator(2048).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
        return new RSAKey.Builder(RSA_KEYS[i]).keyID(kid).build();
    }

    static ECKey ec(Curve curve, String kid) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static OctetKeyPair ed25519(String kid) {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims for user {@code sub}, valid from a minute ago for an hour. */
    static JWTClaimsSet.Builder claims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(1))))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
        return sign(signer(key), new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
    }

    static String hmac(byte[] secret, JWSAlgorithm alg, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(secret), new JWSHeader(alg), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner signer(JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            if (key instanceof OctetKeyPair okp) {
                return new Ed25519Signer(okp);
            }
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("no signer for " + key.getKeyType());
    }

    /** The verified token; fails the test if verification failed or took longer than 10 s. */
    static VerifiedToken accepted(CompletableFuture<VerifiedToken> result) {
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("token refused: " + AuthException.from(e).reason(), e);
        }
    }

    /** The refusal reason; fails the test if the token was accepted. */
    static String refused(CompletableFuture<VerifiedToken> result) {
        try {
            VerifiedToken token = result.get(30, TimeUnit.SECONDS);
            throw new AssertionError("token accepted for " + token.subject());
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return AuthException.from(e).reason();
        }
    }
}
