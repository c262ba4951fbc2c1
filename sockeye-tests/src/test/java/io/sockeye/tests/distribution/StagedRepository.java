package io.sockeye.tests.distribution;

import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static io.sockeye.tests.distribution.Poms.child;
import static io.sockeye.tests.distribution.Poms.children;
import static io.sockeye.tests.distribution.Poms.pom;
import static io.sockeye.tests.distribution.Poms.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Maven local repository for a nested build that sees this reactor's artifacts as if they had been
 * installed, without installing them into the shared one: {@code io/sockeye} holds the POMs and the jars
 * this build just packaged, and everything else is a symbolic link into the build's own local
 * repository (so third-party artifacts are neither copied nor downloaded twice).
 *
 * <p>Needs the modules of interest packaged in this build ({@code mvn verify}, or {@code -am}).
 */
final class StagedRepository {

    /** The repository's root directory: the directory above the {@code sockeye-tests} module. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private final Path directory;
    private final String version;

    private StagedRepository(Path directory, String version) {
        this.directory = directory;
        this.version = version;
    }

    Path directory() {
        return directory;
    }

    /** The reactor's version, which every staged artifact has. */
    String version() {
        return version;
    }

    /**
     * Stages the parent POM and every module of the reactor (its POM, and its jar when this build
     * packaged one) under {@code directory}; {@code requiredJars} must all have been packaged.
     */
    static StagedRepository stage(Path directory, String... requiredJars) throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        String version = text(parent, "version");
        StagedRepository repository = new StagedRepository(directory, version);
        repository.linkSharedRepository();
        repository.put(text(parent, "artifactId"), ROOT.resolve("pom.xml"), null);
        for (Element module : children(child(parent, "modules"), "module")) {
            Path dir = ROOT.resolve(module.getTextContent().trim());
            String artifactId = text(pom(dir.resolve("pom.xml")), "artifactId");
            Path jar = dir.resolve("target").resolve(artifactId + "-" + version + ".jar");
            repository.put(artifactId, dir.resolve("pom.xml"), Files.isRegularFile(jar) ? jar : null);
        }
        for (String artifactId : requiredJars) {
            assertThat(repository.artifact(artifactId, "jar"))
                    .as("%s packaged by this build (run the test with -am, or after `mvn package`)", artifactId)
                    .isRegularFile();
        }
        return repository;
    }

    Path artifact(String artifactId, String extension) {
        return directory.resolve("io/sockeye").resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + "." + extension);
    }

    private void put(String artifactId, Path pom, Path jar) throws IOException {
        Files.createDirectories(artifact(artifactId, "pom").getParent());
        Files.copy(pom, artifact(artifactId, "pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, artifact(artifactId, "jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Every top-level entry of the shared repository, and of its {@code io/}, except {@code io/sockeye}. */
    private void linkSharedRepository() throws IOException {
        Path shared = sharedRepository();
        Files.createDirectories(directory.resolve("io/sockeye"));
        link(shared, directory, "io");
        link(shared.resolve("io"), directory.resolve("io"), "sockeye");
    }

    private static void link(Path from, Path to, String except) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().equals(except)) {
                    Files.createSymbolicLink(to.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
    }

    /** The outer build's local repository (passed by the pom), else Maven's default. */
    private static Path sharedRepository() {
        String configured = System.getProperty("sockeye.localRepository", "");
        return configured.isBlank() || configured.contains("${")
                ? Path.of(System.getProperty("user.home"), ".m2", "repository")
                : Path.of(configured);
    }
}
