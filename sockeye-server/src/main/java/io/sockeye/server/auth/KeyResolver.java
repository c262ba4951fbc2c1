package io.sockeye.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;

import java.security.Key;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Where verification keys come from: a configured key, or a JWK Set URL. */
interface KeyResolver extends AutoCloseable {

    /** The only algorithms a token may use; fixed by the configured key type, never by the token. */
    Set<JWSAlgorithm> algorithms();

    /**
     * Candidate keys for a token with this header (already checked against {@link #algorithms()}).
     * Completes at once when the keys are at hand; otherwise completes on the resolver's own thread,
     * never blocking the caller. An empty list means no key fits (e.g. an unknown {@code kid}); a failure
     * is an {@link AuthException}.
     */
    CompletableFuture<List<Key>> keysFor(JWSHeader header);

    @Override
    default void close() {
    }
}
