package io.sockeye.netty.internal;

import io.netty.util.internal.PlatformDependent;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether direct memory runs short: Netty's own count (its buffers without a cleaner) or the JVM's direct
 * buffer pool (buffers with one) past three quarters of the limit ({@code -XX:MaxDirectMemorySize}, by
 * default the maximum heap, or {@code io.netty.maxDirectMemory}). Past it the engine closes connections over
 * their write high-water mark as slow consumers, so the memory they pin is given back before an allocation
 * fails for everyone. Cheap enough for the rare connection over its high-water mark.
 */
final class DirectMemory {

    private static final BufferPoolMXBean JVM_DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> "direct".equals(pool.getName())).findFirst().orElse(null);

    private DirectMemory() {
    }

    static boolean underPressure() {
        return underPressure(PlatformDependent.usedDirectMemory(),
                JVM_DIRECT == null ? -1 : JVM_DIRECT.getMemoryUsed(), PlatformDependent.maxDirectMemory());
    }

    /** @param nettyUsed Netty's count, -1 when it keeps none; {@code jvmUsed} the JVM pool's, -1 when unknown */
    static boolean underPressure(long nettyUsed, long jvmUsed, long max) {
        if (max <= 0) {
            return false;
        }
        long threshold = max / 4 * 3;
        return nettyUsed > threshold || jvmUsed > threshold;
    }
}
