package io.sockeye.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void returnsTheMatchOfTheAwaitedLine() {
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo booting; echo 'listening on port 4321'; exec sleep 60")
                .name("listener").start()) {
            MatchResult match = child.awaitLine("listening on port (\\d+)", DEADLINE);

            assertThat(match.group(1)).isEqualTo("4321");
            assertThat(child.lines()).startsWith("booting");
        }
    }

    @Test
    void findsALinePrintedBeforeTheWaitBegan() {
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo ready; exec sleep 60").start()) {
            child.awaitLine("ready", DEADLINE);

            assertThat(child.awaitLine("^ready$", DEADLINE).group()).isEqualTo("ready");
        }
    }

    @Test
    void passesEnvironmentAndWorkingDirectoryAndMergesStderr(@TempDir Path dir) throws Exception {
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo \"$GREETING from $(pwd -P)\" >&2")
                .env("GREETING", "hello").directory(dir).start()) {
            assertThat(child.awaitExit(DEADLINE)).isZero();

            assertThat(child.lines()).containsExactly("hello from " + dir.toRealPath());
        }
    }

    @Test
    void writesTheOutputToALogFileUnderTarget() throws Exception {
        Path log;
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo one; echo two").name("logged").start()) {
            assertThat(child.awaitExit(DEADLINE)).isZero();
            log = child.logFile();
        }

        assertThat(log.toString()).contains("target", "child-processes", "logged-");
        assertThat(Files.readAllLines(log)).containsExactly("one", "two");
    }

    @Test
    void failsWithTheOutputWhenTheChildExitsBeforeTheLine() {
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo 'fatal: port in use'; exit 3").start()) {
            assertThatThrownBy(() -> child.awaitLine("Ready", DEADLINE))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("before a line matched /Ready/")
                    .hasMessageContaining("fatal: port in use");
        }
    }

    @Test
    void failsAtTheDeadlineWhenTheLineNeverComes() {
        try (ChildProcess child = ChildProcess.command("bash", "-c", "echo waiting; exec sleep 60").start()) {
            assertThatThrownBy(() -> child.awaitLine("never", Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("no line matched /never/")
                    .hasMessageContaining("waiting");
        }
    }

    @Test
    void closeStopsTheWholeProcessTree() {
        ProcessHandle parent;
        List<ProcessHandle> descendants;
        // The grandchild 'sleep' must die with its parent shell.
        try (ChildProcess child = ChildProcess.command("bash", "-c", "sleep 60 & echo started; wait").start()) {
            child.awaitLine("started", DEADLINE);
            parent = ProcessHandle.of(child.pid()).orElseThrow();
            descendants = parent.descendants().toList();
            assertThat(descendants).isNotEmpty();
        }

        assertThat(parent.isAlive()).isFalse();
        assertThat(descendants).noneMatch(ProcessHandle::isAlive);
    }
}
