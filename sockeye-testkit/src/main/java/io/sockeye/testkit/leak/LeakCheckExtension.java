package io.sockeye.testkit.leak;

import io.sockeye.testkit.TestLogging;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty's leak detector reports a leaked buffer (or any other tracked
 * resource) while it ran.
 *
 * <p>Registered for every test class of every module through JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} in this jar, enabled by
 * {@code junit.jupiter.extensions.autodetection.enabled=true}). After the class's last test it
 * forces the pending reports out ({@link LeakRecorder#flush()}) and fails with Netty's access
 * records if there were any. A leak reported while another class was running fails that class
 * instead; the records still point at the code that leaked.
 *
 * <p>The leak level comes from {@code -Dio.netty.leakDetection.level} (the root pom sets
 * {@code paranoid}); when a test is started without it (from an IDE, say) this extension uses
 * paranoid as well, so every buffer is tracked.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int LEAKS_SHOWN = 5;

    static {
        TestLogging.quietUnlessConfigured();
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        RecordingLeakDetectorFactory.install();
        LeakLogAppender.attach();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Idempotent; re-attaches if a test reconfigured Logback and dropped the appender.
        LeakLogAppender.attach();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakRecorder.flush();
        List<LeakRecorder.Leak> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(describe(context.getDisplayName(), leaks));
        }
    }

    static String describe(String testClass, List<LeakRecorder.Leak> leaks) {
        StringBuilder message = new StringBuilder()
                .append("Netty reported ").append(leaks.size()).append(" leak(s) while ").append(testClass)
                .append(" ran (or since the previous test class finished). Release what you allocate;")
                .append(" the records below show where the leaked object was last touched.");
        leaks.stream().limit(LEAKS_SHOWN).forEach(leak -> message.append("\n\n").append(leak));
        if (leaks.size() > LEAKS_SHOWN) {
            message.append("\n\n... and ").append(leaks.size() - LEAKS_SHOWN).append(" more");
        }
        return message.toString();
    }
}
