package io.sockeye.adapter.redis.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Random ids in the shape of the npm {@code uid2} package, which redis-adapter uses for node and request ids. */
public final class Ids {

    private static final char[] UID_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private Ids() {
    }

    /** {@code uid2(length)}: URL-safe characters, e.g. {@code "ybGbT5"} for 6. */
    public static String uid2(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = UID_CHARS[random.nextInt(UID_CHARS.length)];
        }
        return new String(chars);
    }
}
