package io.sockeye.server.metrics;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Netty's own memory, which the JVM's heap and GC metrics do not show: what the buffer allocators
 * hold (Netty 4.2 defaults to the adaptive allocator; the pooled and unpooled ones are reported too, as
 * some code uses them directly), and the direct memory Netty counts itself against its limit. The JVM's
 * direct buffer pool is {@code jvm_buffer_pool_used_bytes{pool="direct"}}. Read when scraped.
 */
final class NettyMemoryMetrics {

    private NettyMemoryMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        ByteBufAllocator byDefault = ByteBufAllocator.DEFAULT;
        String defaultName = name(byDefault);
        GaugeWithCallback.builder()
                .name("sockeye_netty_allocator_used_bytes")
                .help("Memory held by Netty's buffer allocators (pools and caches included), by allocator and memory kind")
                .labelNames("allocator", "memory")
                .callback(cb -> {
                    if (byDefault instanceof ByteBufAllocatorMetricProvider provider) {
                        ByteBufAllocatorMetric m = provider.metric();
                        cb.call(m.usedDirectMemory(), defaultName, "direct");
                        cb.call(m.usedHeapMemory(), defaultName, "heap");
                    }
                    if (byDefault != PooledByteBufAllocator.DEFAULT) {
                        PooledByteBufAllocatorMetric pooled = PooledByteBufAllocator.DEFAULT.metric();
                        cb.call(pooled.usedDirectMemory(), "pooled", "direct");
                        cb.call(pooled.usedHeapMemory(), "pooled", "heap");
                    }
                    if (byDefault != UnpooledByteBufAllocator.DEFAULT) { // Unpooled.* and libraries that use it
                        ByteBufAllocatorMetric unpooled = UnpooledByteBufAllocator.DEFAULT.metric();
                        cb.call(unpooled.usedDirectMemory(), "unpooled", "direct");
                        cb.call(unpooled.usedHeapMemory(), "unpooled", "heap");
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_netty_pooled_arenas")
                .help("Arenas of Netty's pooled allocator, by memory kind")
                .labelNames("memory")
                .callback(cb -> {
                    PooledByteBufAllocatorMetric pooled = PooledByteBufAllocator.DEFAULT.metric();
                    cb.call(pooled.numDirectArenas(), "direct");
                    cb.call(pooled.numHeapArenas(), "heap");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_netty_pooled_thread_caches")
                .help("Thread-local caches of Netty's pooled allocator")
                .callback(cb -> cb.call(PooledByteBufAllocator.DEFAULT.metric().numThreadLocalCaches()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_netty_direct_memory_used_bytes")
                .help("Direct memory Netty allocated and tracks itself (absent when Netty does not count it)")
                .callback(cb -> {
                    long used = PlatformDependent.usedDirectMemory();
                    if (used >= 0) {
                        cb.call(used);
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("sockeye_netty_direct_memory_max_bytes")
                .help("The most direct memory Netty may allocate (-XX:MaxDirectMemorySize or io.netty.maxDirectMemory)")
                .callback(cb -> cb.call(PlatformDependent.maxDirectMemory()))
                .register(registry);
    }

    private static String name(ByteBufAllocator allocator) {
        if (allocator instanceof AdaptiveByteBufAllocator) {
            return "adaptive";
        }
        if (allocator instanceof PooledByteBufAllocator) {
            return "pooled";
        }
        if (allocator instanceof UnpooledByteBufAllocator) {
            return "unpooled";
        }
        return allocator.getClass().getSimpleName();
    }
}
