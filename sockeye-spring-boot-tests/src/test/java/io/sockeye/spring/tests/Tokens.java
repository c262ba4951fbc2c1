package io.sockeye.spring.tests;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** HS256 tokens for the test application's resource server. */
final class Tokens {

    static final SecretKey KEY = new SecretKeySpec(
            "sockeye-spring-tests-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    private Tokens() {
    }

    /** A valid token for {@code subject} with the space-separated {@code scope}. */
    static String token(String subject, String scope) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(subject).claim("scope", scope)
                    .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(new MACSigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
