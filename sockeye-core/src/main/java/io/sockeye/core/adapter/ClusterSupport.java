package io.sockeye.core.adapter;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Small pure helpers of {@link ClusterAdapter}: one-shot replies, ids. */
final class ClusterSupport {

    private ClusterSupport() {
    }

    static Consumer<Object> once(Consumer<Object> reply) {
        AtomicBoolean called = new AtomicBoolean();
        return value -> {
            if (called.compareAndSet(false, true)) {
                reply.accept(value);
            }
        };
    }

    /** 8 random bytes as 16 hex characters, like socket.io's {@code randomId()}. */
    static String randomId() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
