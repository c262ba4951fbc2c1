package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyTypeException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;

import java.security.Key;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Nimbus's default verifier factory plus EdDSA. The default factory already refuses a key of the wrong
 * type for the algorithm (an RSA public key for HS256 is a {@link KeyTypeException}), which backs up the
 * algorithm allowlist in {@link TokenVerifier}.
 */
final class JwsVerifiers implements JWSVerifierFactory {

    private final DefaultJWSVerifierFactory standard = new DefaultJWSVerifierFactory();
    private final Set<JWSAlgorithm> supported;

    JwsVerifiers() {
        Set<JWSAlgorithm> all = new LinkedHashSet<>(standard.supportedJWSAlgorithms());
        all.addAll(Ed25519Verifier.SUPPORTED_ALGORITHMS);
        supported = Collections.unmodifiableSet(all);
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        boolean edAlg = Ed25519Verifier.SUPPORTED_ALGORITHMS.contains(header.getAlgorithm());
        if (key instanceof Ed25519PublicKey ed) {
            if (!edAlg) {
                throw new KeyTypeException(PublicKey.class);
            }
            return ed.verifier();
        }
        if (edAlg) {
            throw new KeyTypeException(Ed25519PublicKey.class);
        }
        return standard.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return supported;
    }

    @Override
    public JCAContext getJCAContext() {
        return standard.getJCAContext();
    }
}
