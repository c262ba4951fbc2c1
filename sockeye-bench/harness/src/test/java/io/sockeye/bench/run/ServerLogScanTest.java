package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a soak server's log: JSON records, Logback's default pattern with stack traces, JVM lines. */
class ServerLogScanTest {

    private static String json(String level, String message) {
        return "{\"@timestamp\":\"2026-12-07T12:00:00.000Z\",\"message\":\"" + message
                + "\",\"logger_name\":\"x.Y\",\"thread_name\":\"main\",\"level\":\"" + level + "\",\"service\":\"sockeye\"}";
    }

    @Test
    void countsErrorWarnAndLeakRecordsOfTheJsonLog() {
        ServerLogScan.Scan s = ServerLogScan.scan(Stream.of(
                json("INFO", "listening"),
                json("WARN", "no JWT key"),
                json("ERROR", "LEAK: ByteBuf.release() was not called before it's garbage-collected."),
                json("ERROR", "failed while stopping"),
                ""));
        assertThat(s.records()).isEqualTo(4);
        assertThat(s.plainLines()).isZero();
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.leaks()).isEqualTo(1);
        assertThat(s.warnings()).isEqualTo(1);
        assertThat(s.firstErrors()).hasSize(2).first().asString().contains("LEAK:");
    }

    @Test
    void aDebugRecordWithAStackTraceInLogbacksDefaultPatternIsNotAnError() {
        ServerLogScan.Scan s = ServerLogScan.scan(Stream.of(
                "12:04:02.878 [lettuce-epollEventLoop-4-1] DEBUG io.lettuce.core.RedisHandshake -- Error applying connection metadata",
                "java.util.concurrent.CompletionException: io.lettuce.core.RedisCommandExecutionException: ERR unknown subcommand",
                "\tat java.base/java.util.concurrent.CompletableFuture.completeExceptionally(CompletableFuture.java:2162)",
                "Caused by: io.lettuce.core.RedisCommandExecutionException: ERR unknown subcommand 'SETINFO'.",
                "\t... 3 common frames omitted",
                "12:04:03.000 [main] WARN  x.Y -- careful"));
        assertThat(s.records()).isEqualTo(2);
        assertThat(s.plainLines()).isEqualTo(6);
        assertThat(s.errors()).isZero();
        assertThat(s.warnings()).isEqualTo(1);
    }

    @Test
    void theJvmsOwnFailureLinesAreErrors() {
        ServerLogScan.Scan s = ServerLogScan.scan(Stream.of(
                json("INFO", "listening"),
                "Terminating due to java.lang.OutOfMemoryError: Cannot reserve 65536 bytes of direct buffer memory",
                "Exception in thread \"main\" java.lang.IllegalStateException: boom",
                "\tat x.Y.main(Y.java:1)"));
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.firstErrors().get(0)).startsWith("Terminating due to");
    }
}
