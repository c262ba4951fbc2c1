package io.sockeye.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the machine's Node.js for tests that drive real JavaScript clients (socket.io-client,
 * playwright-core), from npm projects committed under {@code src/test/node}.
 *
 * <pre>{@code
 * Path project = Path.of("src/test/node/socketio-client");
 * NodeRunner.ensureInstalled(project);              // npm ci, only if node_modules is missing or stale
 * try (ChildProcess client = NodeRunner.script(project, "connect.js", url).start()) { ... }
 * }</pre>
 *
 * {@code node_modules} counts as stale when the SHA-256 of {@code package-lock.json} differs from
 * the marker file {@value #MARKER} written after the last successful install ({@code
 * bin/install-test-deps} writes the same marker, so CI installs once).
 */
public final class NodeRunner {

    /** File inside {@code node_modules} holding the hex SHA-256 of the lock file it was installed from. */
    public static final String MARKER = ".sockeye-package-lock.sha256";
    /** System property naming the {@code node} executable when it is not on the PATH. */
    public static final String NODE_PROPERTY = "sockeye.node";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<Path> INSTALLED = ConcurrentHashMap.newKeySet();

    private NodeRunner() {
    }

    /** Whether {@code node} and {@code npm} can be found. */
    public static boolean isAvailable() {
        return findNode().isPresent() && findNpm().isPresent();
    }

    /** The {@code node} executable: {@code -Dsockeye.node}, else the first on the PATH. */
    public static Path node() {
        return findNode().orElseThrow(() -> new IllegalStateException(
                "node not found on the PATH (or -D" + NODE_PROPERTY + "); run bin/install-test-deps"));
    }

    /** The {@code npm} executable: next to {@link #node()}, else the first on the PATH. */
    public static Path npm() {
        return findNpm().orElseThrow(() -> new IllegalStateException(
                "npm not found next to node or on the PATH; run bin/install-test-deps"));
    }

    /** A child process running {@code node script args...} in {@code projectDir}, ready to start. */
    public static ChildProcess.Builder script(Path projectDir, String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(node().toString());
        command.add(script);
        command.addAll(List.of(args));
        return ChildProcess.command(command).directory(projectDir).name("node-" + script);
    }

    /**
     * Runs {@code npm ci} in {@code projectDir} unless its {@code node_modules} matches the lock file;
     * checked once per JVM per directory, and serialised across JVMs with a file lock.
     */
    public static void ensureInstalled(Path projectDir) {
        Path dir = projectDir.toAbsolutePath().normalize();
        if (INSTALLED.contains(dir)) {
            return;
        }
        synchronized (NodeRunner.class) {
            if (INSTALLED.contains(dir)) {
                return;
            }
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"),
                    "sockeye-npm-" + sha256(dir.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.lock(); // held until the channel closes; another JVM may be installing the same directory
                if (needsInstall(dir)) {
                    install(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install npm packages in " + dir, e);
            }
            INSTALLED.add(dir);
        }
    }

    /** Whether {@code node_modules} is missing or was installed from a different {@code package-lock.json}. */
    static boolean needsInstall(Path projectDir) throws IOException {
        Path marker = projectDir.resolve("node_modules").resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return true;
        }
        return !Files.readString(marker, StandardCharsets.UTF_8).trim().equals(lockHash(projectDir));
    }

    private static void install(Path dir) throws IOException {
        String hash = lockHash(dir);
        try (ChildProcess npm = ChildProcess.command(npm().toString(), "ci", "--no-audit", "--no-fund")
                .directory(dir).name("npm-ci").start()) {
            int exit = npm.awaitExit(INSTALL_TIMEOUT);
            if (exit != 0) {
                throw new IllegalStateException("npm ci in " + dir + " exited with " + exit + "\n" + npm.tail());
            }
        }
        // npm ci creates no node_modules for a project without dependencies; the marker still needs a home.
        Path modules = Files.createDirectories(dir.resolve("node_modules"));
        Files.writeString(modules.resolve(MARKER), hash + "\n", StandardCharsets.UTF_8);
    }

    private static String lockHash(Path dir) throws IOException {
        Path lock = dir.resolve("package-lock.json");
        if (!Files.isRegularFile(lock)) {
            throw new IllegalStateException(dir + " has no package-lock.json; npm ci needs one committed");
        }
        return sha256(Files.readAllBytes(lock));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Optional<Path> findNode() {
        String configured = System.getProperty(NODE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return onPath("node");
    }

    private static Optional<Path> findNpm() {
        Optional<Path> besideNode = findNode().map(node -> node.resolveSibling("npm")).filter(Files::isExecutable);
        return besideNode.isPresent() ? besideNode : onPath("npm");
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
