package io.sockeye.testkit.leak;

import io.netty.util.ResourceLeakDetector;

/**
 * A Netty leak detector that, besides logging, hands every leak to {@link LeakRecorder}.
 *
 * <p>Installed by {@link LeakCheckExtension} through {@link RecordingLeakDetectorFactory}, or by
 * Netty itself when the JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=io.sockeye.testkit.leak.RecordingLeakDetector}
 * (Netty calls the {@code (Class, int, long)} constructor reflectively). The system property is the
 * safer of the two: it works even when a class initialises Netty's buffers before JUnit loads the
 * extension.
 *
 * @param <T> the tracked resource type
 */
@SuppressWarnings("deprecation") // Netty looks these constructors up by signature; maxActive is ignored by Netty.
public class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    /** Set while this class logs through Netty, so {@link LeakLogAppender} does not count the leak twice. */
    static final ThreadLocal<Boolean> REPORTING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** The constructor Netty's default factory looks up for a custom detector class. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
        LeakRecorder.register(this);
    }

    /** The other constructor Netty's default factory accepts. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        this(resourceType, samplingInterval, Long.MAX_VALUE);
    }

    /**
     * Always report: Netty's default skips reporting (and silently drops the leak) when its logger has
     * ERROR disabled, and a module's logging configuration must not be able to hide a leak.
     */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LeakRecorder.record(resourceType, records);
        logQuietly(() -> super.reportTracedLeak(resourceType, records));
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LeakRecorder.record(resourceType, "");
        logQuietly(() -> super.reportUntracedLeak(resourceType));
    }

    private static void logQuietly(Runnable log) {
        REPORTING.set(Boolean.TRUE);
        try {
            log.run();
        } finally {
            REPORTING.set(Boolean.FALSE);
        }
    }
}
