package io.sockeye.tests.distribution;

import io.sockeye.testkit.ChildProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code mvn} on a project, as a user would, against a {@link StagedRepository}. */
final class NestedMaven {

    /** Resolving, compiling and (for the image) writing a tarball of some 60 MB on a busy machine. */
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);

    private NestedMaven() {
    }

    /** Runs {@code mvn arguments} in {@code project} and fails with the build's output unless it succeeds. */
    static void run(Path project, StagedRepository repository, String... arguments) {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp",
                "-Dmaven.repo.local=" + repository.directory()));
        command.addAll(List.of(arguments));
        try (ChildProcess maven = ChildProcess.command(command).name("nested-maven").directory(project).start()) {
            int exit = maven.awaitExit(BUILD_TIMEOUT);
            assertThat(exit).as("%s exited with %d:%n%s", command, exit, maven.tail()).isZero();
        }
    }
}
