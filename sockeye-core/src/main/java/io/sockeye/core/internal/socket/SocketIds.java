package io.sockeye.core.internal.socket;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Public Socket.IO socket ids: 15 random bytes as 20 base64url characters, the shape of socket.io's
 * {@code base64id} (cluster adapters in "dynamic" mode tell socket-id rooms apart by that length 20).
 * Ids are visible to other clients, so they must not be guessable from one another, hence
 * {@link SecureRandom}; one generator per thread keeps event loops from contending on a lock.
 */
final class SocketIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SocketIds() {
    }

    static String next() {
        return random(15);
    }

    /**
     * A connection state recovery session id ({@code pid}): 18 random bytes as 24 base64url characters.
     * Whoever presents it takes the session over, so it is as unguessable as the socket id and longer.
     */
    static String pid() {
        return random(18);
    }

    private static String random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.get().nextBytes(out);
        return BASE64URL.encodeToString(out);
    }
}
