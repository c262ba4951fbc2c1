package io.sockeye.tests.app;

import io.sockeye.testkit.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * The standalone server started the way users start it: {@code bin/sockeye} as a child process (the
 * launcher builds first if the build is stale, then execs java, so the child's pid is the server's).
 * Listens on 127.0.0.1 and a free port, read back from its "listening on" log line. Public for the
 * cluster tests, which start some nodes this way.
 */
public final class LaunchedServer implements AutoCloseable {

    /** The launcher, from the sockeye-tests module directory (Maven's working directory for tests). */
    static final Path LAUNCHER = Path.of("..", "bin", "sockeye").toAbsolutePath().normalize();
    /** Generous: the first launch of a run may have to build the server. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://[^/\\s]+/)");

    private final ChildProcess process;
    private final String url;

    private LaunchedServer(ChildProcess process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts {@code bin/sockeye --host 127.0.0.1 --port 0 args...} in {@code workDir} and waits until it listens. */
    public static LaunchedServer start(Path workDir, String name, Map<String, String> env, String... args) {
        ChildProcess p = command(workDir, name, env, withLocalPort(args)).start();
        try {
            MatchResult m = p.awaitLine(LISTENING, START_TIMEOUT);
            return new LaunchedServer(p, m.group(1));
        } catch (RuntimeException | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /** A launcher invocation that is not expected to keep running (help, invalid configuration). */
    static ChildProcess.Builder command(Path workDir, String name, Map<String, String> env, String... args) {
        if (!Files.isExecutable(LAUNCHER)) {
            throw new AssertionError("launcher not found or not executable: " + LAUNCHER);
        }
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return ChildProcess.command(command).directory(workDir).name(name).env(env);
    }

    // Without the start-up warm-up unless a test asks for it: it would add its connections to what tests count.
    private static String[] withLocalPort(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--warmup"))) {
            all.add("--warmup=false");
        }
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234/}. */
    public String url() {
        return url;
    }

    public int port() {
        return Integer.parseInt(url.replaceAll(".*:(\\d+)/$", "$1"));
    }

    public ChildProcess process() {
        return process;
    }

    /** Sends SIGTERM to the server (what {@code Process.destroy()} does on Unix). */
    void sigterm() {
        ProcessHandle.of(process.pid()).orElseThrow(() -> new AssertionError("server already gone"))
                .destroy();
    }

    @Override
    public void close() {
        process.close();
    }
}
