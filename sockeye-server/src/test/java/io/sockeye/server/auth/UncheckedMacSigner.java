package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC signer that, like many token libraries, signs HS384/HS512 with any secret length: Nimbus's own
 * {@code MACSigner} refuses secrets shorter than RFC 7518 asks for, but issuers in the wild do not.
 */
final class UncheckedMacSigner implements JWSSigner {

    private final byte[] secret;
    private final JCAContext jca = new JCAContext();

    UncheckedMacSigner(byte[] secret) {
        this.secret = secret.clone();
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        String name = "Hmac" + header.getAlgorithm().getName().replace("HS", "SHA");
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(secret, name));
            return Base64URL.encode(mac.doFinal(signingInput));
        } catch (GeneralSecurityException e) {
            throw new JOSEException(e.getMessage(), e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    }

    @Override
    public JCAContext getJCAContext() {
        return jca;
    }
}
