package io.sockeye.testkit.leak;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/** Makes every leak detector Netty creates from now on a {@link RecordingLeakDetector}. */
public final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    private static volatile boolean installed;

    private RecordingLeakDetectorFactory() {
    }

    /**
     * Installs the factory once per JVM. Netty's classes create their detector in a static
     * initialiser, so this only affects classes initialised afterwards; see
     * {@link RecordingLeakDetector} for the system property that covers the rest.
     */
    public static synchronized void install() {
        if (!installed) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingLeakDetectorFactory());
            installed = true;
        }
    }

    @Override
    @SuppressWarnings("deprecation") // the abstract method Netty still calls; maxActive is ignored by Netty
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new RecordingLeakDetector<>(resource, samplingInterval, maxActive);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        return new RecordingLeakDetector<>(resource, samplingInterval);
    }
}
