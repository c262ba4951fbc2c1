package io.sockeye.testkit.leak;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.lang.reflect.Field;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Proves the leak check catches a leak: each test leaks on purpose, then drains what it expects so
 * this class itself stays clean when the extension checks it afterwards.
 */
class LeakCheckExtensionTest {

    /** Lets {@link LeakingFixture} run only when launched from here, never by Surefire's own scan. */
    private static volatile boolean fixtureEnabled;

    @BeforeEach
    void startClean() {
        LeakRecorder.flush();
        assertThat(LeakRecorder.drain()).as("leaks from before this test").isEmpty();
    }

    @AfterEach
    void endClean() {
        fixtureEnabled = false;
        LeakRecorder.flush();
        LeakRecorder.drain();
    }

    @Test
    void nettysBufferDetectorIsARecordingDetector() throws Exception {
        Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
        field.setAccessible(true);

        assertThat(field.get(null)).isInstanceOf(RecordingLeakDetector.class);
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void recordsLeakedPooledBufferWithWhereItWasAllocated() {
        leakPooledBuffer();

        LeakRecorder.flush();

        assertThat(LeakRecorder.drain()).anySatisfy(leak -> {
            assertThat(leak.resourceType()).isEqualTo("ByteBuf");
            assertThat(leak.records()).contains("leakPooledBuffer");
        });
    }

    @Test
    void recordsNothingWhenBuffersAreReleased() {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16).writeInt(1);
        ByteBuf unpooled = Unpooled.copyInt(2);
        pooled.release();
        unpooled.release();

        LeakRecorder.flush();

        assertThat(LeakRecorder.drain()).isEmpty();
    }

    @Test
    void recordsLeaksLoggedByDetectorsCreatedBeforeTheHook() {
        // A plain Netty detector, as a class initialised before the extension would have: only its log line tells.
        @SuppressWarnings("deprecation")
        ResourceLeakDetector<Probe> plain = new ResourceLeakDetector<>(Probe.class, 1);
        trackAndDrop(plain);

        LeakRecorder.flush();
        Probe next = new Probe();
        plain.track(next).close(next); // a plain detector reports pending leaks on its next track()

        assertThat(LeakRecorder.drain()).anySatisfy(leak -> {
            assertThat(leak.resourceType()).endsWith("Probe");
            assertThat(leak.records()).contains("trackAndDrop");
        });
    }

    @Test
    void failsTheTestClassThatLeakedWithTheLeakRecord() {
        fixtureEnabled = true;
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();

        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LeakingFixture.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build(), listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount()).as("the leaking test itself passes").isEqualTo(1);
        List<TestExecutionSummary.Failure> failures = summary.getFailures();
        assertThat(failures).singleElement().satisfies(failure -> {
            assertThat(failure.getTestIdentifier().isContainer()).isTrue();
            assertThat(failure.getException()).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("LeakingFixture")
                    .hasMessageContaining("LEAK: ByteBuf.release() was not called")
                    .hasMessageContaining("leaksABuffer");
        });
    }

    @Test
    void failureMessageListsEveryLeakUpToALimit() {
        List<LeakRecorder.Leak> leaks = List.of(
                new LeakRecorder.Leak("ByteBuf", "\nRecent access records:\n#1: first.place"),
                new LeakRecorder.Leak("ByteBuf", ""));

        String message = LeakCheckExtension.describe("SomeTest", leaks);

        assertThat(message).contains("2 leak(s) while SomeTest", "first.place", "no access records");
    }

    private static void leakPooledBuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        buffer.writeLong(42); // never released
    }

    private static void trackAndDrop(ResourceLeakDetector<Probe> detector) {
        detector.track(new Probe()); // tracker dropped without close(): a leak
    }

    static boolean fixtureEnabled() {
        return fixtureEnabled;
    }

    /** Something other than a buffer for a detector to track. */
    static final class Probe {
    }

    /** Run through the launcher by {@link #failsTheTestClassThatLeakedWithTheLeakRecord()}. */
    @EnabledIf("io.sockeye.testkit.leak.LeakCheckExtensionTest#fixtureEnabled")
    static class LeakingFixture {
        @Test
        void leaksABuffer() {
            ByteBuf buffer = Unpooled.directBuffer(8);
            buffer.writeInt(7); // never released
        }
    }
}
