package io.sockeye.server.auth;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a JWK Set URL serves, the document is either refused as a whole or gives usable keys of the
 * types its algorithms allow. Refused means what Nimbus's URL source makes of any exception while
 * parsing (a {@code JWKSetParseException}: {@code JWKSet.parse} also throws unchecked ones, e.g. for
 * {@code null}), which the resolver answers with {@code signing keys unavailable} or, after a good set,
 * with that set; see {@code TokenVerifierJwksTest#aDocumentThatIsNotAKeySetIsAnOutageNotABug}.
 * Allocation stays in proportion to the document (the resolver downloads at most 256 KiB).
 */
class JwksFuzzTest {

    @FuzzTest
    void jwksDocument(byte[] input) {
        String document = new String(input, StandardCharsets.UTF_8);
        FuzzContract.boundedAllocation(input.length, 256, () -> select(document));
    }

    private static void select(String document) {
        JWKSet set;
        try {
            set = JWKSet.parse(document); // as Nimbus's URL source reads it
        } catch (ParseException | RuntimeException e) {
            return; // the URL source turns both into JWKSetParseException
        }
        Map<JWK, Key> usable = JwksKeys.usable(set);
        List<String> kids = new ArrayList<>();
        kids.add(null);
        for (JWK jwk : set.getKeys()) {
            kids.add(jwk.getKeyID());
        }
        for (JWSAlgorithm alg : JwksKeyResolver.ALGORITHMS) {
            for (String kid : kids) {
                for (Key key : JwksKeys.select(set, usable, new JWSHeader.Builder(alg).keyID(kid).build())) {
                    String family = alg.getName().substring(0, 2);
                    switch (family) {
                        case "RS", "PS" -> assertThat(key).isInstanceOf(RSAPublicKey.class);
                        case "ES" -> assertThat(key).isInstanceOf(ECPublicKey.class);
                        default -> assertThat(key).isInstanceOf(Ed25519PublicKey.class);
                    }
                }
            }
        }
    }
}
