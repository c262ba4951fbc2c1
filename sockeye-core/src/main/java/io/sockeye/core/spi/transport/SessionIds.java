package io.sockeye.core.spi.transport;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 20-character base64url ids from 15 bytes: 11 random bytes plus a 32-bit counter, so ids are
 * unguessable and never repeat within a process (like engine.io's {@code base64id}).
 * A transport that answers a WebSocket handshake before the session exists (to set the sticky cookie)
 * takes the new session's id from here and passes it to {@link EngineEndpoint#openWebSocket}.
 */
public final class SessionIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final AtomicInteger COUNTER = new AtomicInteger(new SecureRandom().nextInt());
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {
    }

    public static String next() {
        byte[] b = new byte[15];
        RANDOM.get().nextBytes(b);
        int c = COUNTER.getAndIncrement();
        b[11] = (byte) (c >>> 24);
        b[12] = (byte) (c >>> 16);
        b[13] = (byte) (c >>> 8);
        b[14] = (byte) c;
        return ENCODER.encodeToString(b);
    }
}
