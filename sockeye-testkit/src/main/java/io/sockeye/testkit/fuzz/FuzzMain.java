package io.sockeye.testkit.fuzz;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one {@code @FuzzTest} method through the JUnit Platform, as {@code bin/fuzz} does for each target:
 * {@code java -cp <test classpath> io.sockeye.testkit.fuzz.FuzzMain <class> <method>}, with
 * {@code JAZZER_FUZZ=1} to fuzz (Jazzer fuzzes one test per JVM) or without it to replay the seeds.
 * Exits 0 when the test passed, 1 when it failed (a finding) or did not run.
 */
public final class FuzzMain {

    private FuzzMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length != 2) {
            System.err.println("usage: FuzzMain <fully.qualified.FuzzTestClass> <method>");
            System.exit(2);
        }
        Class<?> testClass = Class.forName(args[0]);
        // By name alone: a fuzz test takes one parameter, whose type the caller need not spell.
        Method method = Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.getName().equals(args[1]))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + args[1] + " in " + args[0]));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(testClass, method))
                // As surefire is configured: the testkit's leak check applies to fuzz runs too.
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printFailuresTo(out, 30);
        summary.printTo(out);
        boolean passed = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(passed ? 0 : 1);
    }
}
