package io.sockeye.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class NodeRunnerTest {

    private static final String PACKAGE_JSON = """
            {"name": "sockeye-noderunner-test", "version": "1.0.0", "private": true}
            """;
    private static final String PACKAGE_LOCK = """
            {"name": "sockeye-noderunner-test", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
             "packages": {"": {"name": "sockeye-noderunner-test", "version": "1.0.0"}}}
            """;

    @Test
    void installsOnceAndNoticesAChangedLockFile(@TempDir Path project) throws Exception {
        assumeThat(NodeRunner.isAvailable()).as("node and npm on this machine").isTrue();
        Files.writeString(project.resolve("package.json"), PACKAGE_JSON);
        Files.writeString(project.resolve("package-lock.json"), PACKAGE_LOCK);
        assertThat(NodeRunner.needsInstall(project)).isTrue();

        NodeRunner.ensureInstalled(project);

        assertThat(project.resolve("node_modules").resolve(NodeRunner.MARKER)).isRegularFile();
        assertThat(NodeRunner.needsInstall(project)).isFalse();
        Files.writeString(project.resolve("package-lock.json"), PACKAGE_LOCK.replace("1.0.0", "1.0.1"));
        assertThat(NodeRunner.needsInstall(project)).isTrue();
    }

    @Test
    void runsAScriptInTheProjectDirectory(@TempDir Path project) throws Exception {
        assumeThat(NodeRunner.isAvailable()).as("node and npm on this machine").isTrue();
        Files.writeString(project.resolve("hello.js"), "console.log('hello ' + process.argv[2] + ' ' + require('fs').existsSync('hello.js'));");

        try (ChildProcess node = NodeRunner.script(project, "hello.js", "sockeye").start()) {
            assertThat(node.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(node.lines()).containsExactly("hello sockeye true");
        }
    }
}
