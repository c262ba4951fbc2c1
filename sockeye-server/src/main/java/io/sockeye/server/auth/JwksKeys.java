package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Key;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which keys of a downloaded JWK Set may verify a token: RSA keys of 2048 bits or more (RFC 7518
 * §3.3), EC keys on P-256, P-384 or P-521, Ed25519 keys — each converted to a JCA key once per set —
 * and among those the ones that fit a token's header (type, curve, {@code kid}, {@code use},
 * {@code alg}). Anything else in the set (secrets, small RSA keys, other curves, keys that do not
 * convert) is never used. Pure functions of their arguments.
 */
final class JwksKeys {

    private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);
    private static final Set<Curve> EC_CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);
    private static final int MIN_RSA_BITS = 2048;

    private JwksKeys() {
    }

    /** The usable keys of {@code set} as JCA keys, by identity of their JWK. */
    static Map<JWK, Key> usable(JWKSet set) {
        Map<JWK, Key> keys = new IdentityHashMap<>();
        for (JWK jwk : set.getKeys()) {
            try {
                if (jwk instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
                    keys.put(jwk, rsa.toRSAPublicKey());
                } else if (jwk instanceof ECKey ec && EC_CURVES.contains(ec.getCurve())) {
                    keys.put(jwk, ec.toECPublicKey());
                } else if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                    keys.put(jwk, new Ed25519PublicKey(okp));
                }
            } catch (JOSEException | RuntimeException e) {
                log.debug("JWKS: skipping unusable key {}: {}", jwk.getKeyID(), e.toString());
            }
        }
        return keys;
    }

    /** The keys among {@code usable} (from {@link #usable(JWKSet)} of {@code set}) that fit {@code header}. */
    static List<Key> select(JWKSet set, Map<JWK, Key> usable, JWSHeader header) {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>(1);
        for (JWK jwk : new JWKSelector(matcher).select(set)) {
            Key key = usable.get(jwk);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }
}
