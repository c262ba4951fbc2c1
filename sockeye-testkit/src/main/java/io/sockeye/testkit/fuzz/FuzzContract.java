package io.sockeye.testkit.fuzz;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

/**
 * The part of every fuzz target's contract that is the same everywhere: allocation bounded by the
 * input's size. A decoder may allocate in proportion to what it reads (a value per token), never in
 * proportion to a number it read (a length prefix, an attachment count) or without bound.
 */
public final class FuzzContract {

    /** Slack for class loading and JIT on a target's first inputs, and for fixed-size buffers. */
    private static final long BASE_BYTES = 16L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private FuzzContract() {
    }

    /**
     * Runs {@code decode} and fails if the calling thread allocated more than
     * {@code bytesPerInputByte × inputLength} plus a fixed slack meanwhile. A call that loaded classes
     * is not measured: loading (and the fuzzer instrumenting) them allocates megabytes once.
     */
    public static void boundedAllocation(int inputLength, int bytesPerInputByte, Runnable decode) {
        long loaded = CLASSES.getTotalLoadedClassCount();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        decode.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (CLASSES.getTotalLoadedClassCount() != loaded) {
            return;
        }
        long bound = BASE_BYTES + (long) bytesPerInputByte * inputLength;
        if (allocated > bound) {
            throw new AssertionError("allocated " + allocated + " bytes for " + inputLength
                    + " input bytes (bound " + bound + ")");
        }
    }
}
