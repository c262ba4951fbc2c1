package io.sockeye.testkit.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Collects the leaks Netty's leak detector reports in this JVM, and can force pending ones out.
 *
 * <p>Netty only notices a leak when the leaked object has been garbage-collected <em>and</em> the
 * detector for that resource type is used again (it drains its reference queue on the next
 * {@code track()}). {@link #flush()} makes both happen now, so a test class can be blamed for its
 * own leaks instead of whichever class happens to allocate next.
 */
public final class LeakRecorder {

    /** One leak report: the resource type ({@code "ByteBuf"}) and Netty's access records (may be empty). */
    public record Leak(String resourceType, String records) {
        @Override
        public String toString() {
            return "LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + (records.isEmpty() ? " (no access records: the leak level was below advanced)" : records);
        }
    }

    private static final ConcurrentLinkedQueue<Leak> LEAKS = new ConcurrentLinkedQueue<>();
    private static final Set<ResourceLeakDetector<?>> DETECTORS = new CopyOnWriteArraySet<>();
    private static final int GC_ROUNDS = 3;
    private static final Duration GC_ROUND_DEADLINE = Duration.ofSeconds(5);

    private LeakRecorder() {
    }

    /** Records a leak; called by {@link RecordingLeakDetector} and {@link LeakLogAppender}. */
    static void record(String resourceType, String records) {
        LEAKS.add(new Leak(resourceType, records == null ? "" : records));
    }

    /** Remembers a detector so {@link #flush()} can make it drain its queue. */
    static void register(ResourceLeakDetector<?> detector) {
        DETECTORS.add(detector);
    }

    /** Removes and returns every leak recorded so far. */
    public static List<Leak> drain() {
        List<Leak> drained = new ArrayList<>();
        for (Leak leak; (leak = LEAKS.poll()) != null; ) {
            drained.add(leak);
        }
        return drained;
    }

    /**
     * Makes pending leak reports happen now: runs full GCs until a canary object is seen collected
     * (proof that weak references dropped before the call have been enqueued), then makes every
     * detector drain its reference queue.
     */
    public static void flush() {
        for (int round = 0; round < GC_ROUNDS; round++) {
            collectGarbage();
        }
        // Detectors we created report on a forced track(); close the tracker so it is not a leak itself.
        for (ResourceLeakDetector<?> detector : DETECTORS) {
            drainQueue(detector);
        }
        // Detectors created before our factory was installed only drain on allocation; at the
        // paranoid level every allocation does, at lower levels one in samplingInterval does.
        int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID ? 1 : 1024;
        touch(PooledByteBufAllocator.DEFAULT, allocations);
        touch(UnpooledByteBufAllocator.DEFAULT, allocations);
        touch(ByteBufAllocator.DEFAULT, allocations);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void drainQueue(ResourceLeakDetector<?> detector) {
        Object probe = new Object();
        ResourceLeakTracker tracker = ((ResourceLeakDetector) detector).trackForcibly(probe);
        if (tracker != null) {
            tracker.close(probe);
        }
    }

    private static void touch(ByteBufAllocator allocator, int allocations) {
        for (int i = 0; i < allocations; i++) {
            ByteBuf heap = allocator.heapBuffer(8);
            heap.release();
            ByteBuf direct = allocator.directBuffer(8);
            direct.release();
        }
    }

    /** One full GC, confirmed by a weakly reachable canary reaching its queue before a deadline. */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> canary = new WeakReference<>(new Object(), queue);
        long deadline = System.nanoTime() + GC_ROUND_DEADLINE.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                System.gc();
                if (queue.remove(50) != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            canary.clear();
        }
    }
}
