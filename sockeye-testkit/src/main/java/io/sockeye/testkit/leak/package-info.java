/**
 * Netty leak check for tests: {@link io.sockeye.testkit.leak.LeakCheckExtension} fails a test class
 * whose code leaked a buffer. Leaks are captured by {@link io.sockeye.testkit.leak.RecordingLeakDetector}
 * (every detector Netty creates once the extension is loaded) and, as a fallback, by
 * {@link io.sockeye.testkit.leak.LeakLogAppender} (Netty's ERROR log lines from older detectors).
 */
package io.sockeye.testkit.leak;
