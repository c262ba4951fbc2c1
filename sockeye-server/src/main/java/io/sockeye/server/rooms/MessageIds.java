package io.sockeye.server.rooms;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique message ids for {@code meta.id}: a random per-process prefix (so nodes of a cluster never
 * collide) and a counter, e.g. {@code 9f3c1a2b-1k}. Cheap: no randomness per message.
 */
final class MessageIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    MessageIds() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        StringBuilder sb = new StringBuilder(9);
        for (byte b : random) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        this.prefix = sb.append('-').toString();
    }

    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
