package io.sockeye.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.sockeye.core.metrics.EventLoopProbes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The runtime meters of {@link MicrometerMetrics}: how late each event loop runs ({@link EventLoopProbes},
 * from the first session seen on a loop) and Netty's own memory,
 * which the JVM's heap and GC meters do not show.
 */
final class RuntimeMeters implements AutoCloseable {

    private final EventLoopProbes probes;

    RuntimeMeters(MeterRegistry registry, Tags common, Timer loopDelay, Duration probeInterval, boolean nettyMemory) {
        this.probes = new EventLoopProbes(probeInterval, nanos -> loopDelay.record(nanos, TimeUnit.NANOSECONDS));
        if (nettyMemory) {
            registerNettyMemory(registry, common);
        }
    }

    /** Starts probing {@code loop} unless it already is: one map lookup when it is. */
    void watch(EventExecutor loop) {
        probes.watch(loop);
    }

    @Override
    public void close() {
        probes.close();
    }

    private static void registerNettyMemory(MeterRegistry registry, Tags common) {
        ByteBufAllocator byDefault = ByteBufAllocator.DEFAULT;
        String name = byDefault instanceof AdaptiveByteBufAllocator ? "adaptive"
                : byDefault instanceof PooledByteBufAllocator ? "pooled" : byDefault.getClass().getSimpleName();
        if (byDefault instanceof ByteBufAllocatorMetricProvider provider) {
            allocatorGauge(registry, common, name, "direct", provider, p -> p.metric().usedDirectMemory());
            allocatorGauge(registry, common, name, "heap", provider, p -> p.metric().usedHeapMemory());
        }
        PooledByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;
        if (byDefault != pooled) {
            allocatorGauge(registry, common, "pooled", "direct", pooled, p -> p.metric().usedDirectMemory());
            allocatorGauge(registry, common, "pooled", "heap", pooled, p -> p.metric().usedHeapMemory());
        }
        Gauge.builder("sockeye.netty.pooled.arenas", pooled, p -> p.metric().numDirectArenas()).tags(common.and("memory", "direct"))
                .description("Arenas of Netty's pooled allocator").register(registry);
        Gauge.builder("sockeye.netty.pooled.arenas", pooled, p -> p.metric().numHeapArenas()).tags(common.and("memory", "heap"))
                .description("Arenas of Netty's pooled allocator").register(registry);
        Gauge.builder("sockeye.netty.pooled.thread.caches", pooled, p -> p.metric().numThreadLocalCaches()).tags(common)
                .description("Thread-local caches of Netty's pooled allocator").register(registry);
        Gauge.builder("sockeye.netty.direct.memory.used", () -> {
            long used = PlatformDependent.usedDirectMemory();
            return used >= 0 ? used : Double.NaN;
        }).tags(common).baseUnit("bytes").description("Direct memory Netty allocated and tracks itself").register(registry);
        Gauge.builder("sockeye.netty.direct.memory.max", PlatformDependent::maxDirectMemory).tags(common).baseUnit("bytes")
                .description("The most direct memory Netty may allocate").register(registry);
    }

    private static <T> void allocatorGauge(MeterRegistry registry, Tags common, String allocator, String memory, T source,
                                           ToDoubleFunction<T> value) {
        Gauge.builder("sockeye.netty.allocator.used", source, value).tags(common.and("allocator", allocator, "memory", memory))
                .baseUnit("bytes").description("Memory held by Netty's buffer allocators, pools and caches included")
                .register(registry);
    }
}
