package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.OctetKeyPair;

import java.security.PublicKey;

/**
 * An Ed25519 public key in the {@link java.security.Key} shape that Nimbus's JWT processor passes to
 * its verifier factory. Nimbus cannot turn an {@link OctetKeyPair} into a JCA key itself
 * ({@code toPublicKey()} is unsupported), so without this wrapper EdDSA tokens would find no key.
 * {@link JwsVerifiers} unwraps it into Nimbus's (Tink-backed, thread-safe) {@link Ed25519Verifier}.
 */
final class Ed25519PublicKey implements PublicKey {

    private static final long serialVersionUID = 1L;

    private final transient OctetKeyPair jwk;
    private final transient Ed25519Verifier verifier;

    Ed25519PublicKey(OctetKeyPair jwk) throws JOSEException {
        this.jwk = jwk.toPublicJWK();
        this.verifier = new Ed25519Verifier(this.jwk);
    }

    OctetKeyPair jwk() {
        return jwk;
    }

    Ed25519Verifier verifier() {
        return verifier;
    }

    @Override
    public String getAlgorithm() {
        return "Ed25519";
    }

    @Override
    public String getFormat() {
        return null; // no encoded form is offered
    }

    @Override
    public byte[] getEncoded() {
        return null;
    }
}
