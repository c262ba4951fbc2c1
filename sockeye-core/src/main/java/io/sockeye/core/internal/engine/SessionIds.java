package io.sockeye.core.internal.engine;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 20-character base64url ids from 15 bytes: 11 random bytes plus a 32-bit counter, so ids are
 * unguessable and never repeat within a process (like engine.io's {@code base64id}).
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
