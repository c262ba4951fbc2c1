package io.sockeye.tests.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Consumer;

/** JWTs for the end-to-end tests, minted with Nimbus as a backend would. */
public final class Tokens {

    private Tokens() {
    }

    static JWTClaimsSet.Builder claims(String sub, Duration ttl) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)));
    }

    /** HS256 with {@link ServerUnderTest#SECRET}, valid for an hour. */
    static String hs256(String sub) {
        return hs256(sub, Duration.ofHours(1), c -> { });
    }

    static String hs256(String sub, Duration ttl, Consumer<JWTClaimsSet.Builder> more) {
        return hs256(ServerUnderTest.SECRET, sub, ttl, more);
    }

    /** HS256 with {@code secret}, for servers started with their own {@code --jwt-secret}. */
    public static String hs256(String secret, String sub, Duration ttl, Consumer<JWTClaimsSet.Builder> more) {
        JWTClaimsSet.Builder c = claims(sub, ttl);
        more.accept(c);
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), c.build(), new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with room grants ({@code rooms: {subscribe, publish, presence}}). */
    static String withRooms(String sub, Map<String, Object> rooms) {
        return hs256(sub, Duration.ofHours(1), c -> c.claim("rooms", rooms));
    }

    /** An unsigned token ({@code alg: none}) claiming to be {@code sub}. */
    static String algNone(String sub) {
        return new PlainJWT(claims(sub, Duration.ofHours(1)).build()).serialize();
    }

    /** RS256 with the key's id in the header. */
    static String rs256(RSAKey key, String sub) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
            return sign(header, claims(sub, Duration.ofHours(1)).build(), new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
