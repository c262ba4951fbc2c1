package io.sockeye.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.crypto.spec.SecretKeySpec;

/**
 * One configured key: an HMAC secret or a PEM public key. Every token is checked against it, whatever
 * {@code kid} it names; the key's type alone decides the accepted algorithms.
 */
final class StaticKeyResolver implements KeyResolver {

    static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    static final Set<JWSAlgorithm> ED25519 = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    private static final Map<Curve, JWSAlgorithm> EC_BY_CURVE = Map.of(
            Curve.P_256, JWSAlgorithm.ES256, Curve.P_384, JWSAlgorithm.ES384, Curve.P_521, JWSAlgorithm.ES512);

    /** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms." */
    private static final int MIN_RSA_BITS = 2048;

    private final Set<JWSAlgorithm> algorithms;
    private final List<Key> keys;

    private StaticKeyResolver(Set<JWSAlgorithm> algorithms, Key key) {
        this.algorithms = algorithms;
        this.keys = List.of(key);
    }

    /** HS256, and HS384/HS512 when the secret is as long as their hash output ({@link JwtSettings#hmacAlgorithms}). */
    static StaticKeyResolver hmac(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        for (String name : JwtSettings.hmacAlgorithms(bytes.length)) {
            algorithms.add(JWSAlgorithm.parse(name));
        }
        return new StaticKeyResolver(Set.copyOf(algorithms), new SecretKeySpec(bytes, "HmacSHA256"));
    }

    /**
     * Reads the first public key or certificate in a PEM file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static StaticKeyResolver pem(Path file) {
        String where = "JWT public key file " + file + ": ";
        SubjectPublicKeyInfo info = null;
        boolean sawPrivate = false;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null && info == null; o = parser.readObject()) {
                if (o instanceof SubjectPublicKeyInfo spki) {
                    info = spki;
                } else if (o instanceof X509CertificateHolder cert) {
                    info = cert.getSubjectPublicKeyInfo();
                } else if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo) {
                    sawPrivate = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + "cannot read it (" + e + ")", e);
        }
        if (info == null) {
            // The server only verifies; it has no business holding the signing key.
            throw new IllegalArgumentException(where + (sawPrivate
                    ? "it holds a private key; give the public key (openssl pkey -pubout) instead"
                    : "no PUBLIC KEY or CERTIFICATE block found"));
        }
        try {
            return fromPublicKeyInfo(info, where);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | JOSEException | RuntimeException e) {
            throw new IllegalArgumentException(where + "unusable key (" + e.getMessage() + ")", e);
        }
    }

    private static StaticKeyResolver fromPublicKeyInfo(SubjectPublicKeyInfo info, String where) throws IOException, JOSEException {
        if (EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
            byte[] x = info.getPublicKeyData().getOctets();
            return new StaticKeyResolver(ED25519, new Ed25519PublicKey(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build()));
        }
        PublicKey key = new JcaPEMKeyConverter().getPublicKey(info);
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException(where + "RSA keys must be at least " + MIN_RSA_BITS + " bits");
            }
            return new StaticKeyResolver(RSA, rsa);
        }
        if (key instanceof ECPublicKey ec) {
            JWSAlgorithm alg = EC_BY_CURVE.get(Curve.forECParameterSpec(ec.getParams()));
            if (alg == null) {
                throw new IllegalArgumentException(where + "EC keys must be on P-256, P-384 or P-521");
            }
            return new StaticKeyResolver(Set.of(alg), ec);
        }
        throw new IllegalArgumentException(where + "unsupported key type " + key.getAlgorithm()
                + " (use RSA, EC P-256/P-384/P-521 or Ed25519)");
    }

    @Override
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    @Override
    public CompletableFuture<List<Key>> keysFor(JWSHeader header) {
        return CompletableFuture.completedFuture(keys);
    }
}
