package io.sockeye.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone server as an operator runs it: {@code bin/sockeye} (built by bench/run, so launched with
 * SOCKEYE_SKIP_BUILD=1), pinned to the server CPU, its output (one JSON log object per line) in
 * {@code logs/<name>.log}, with a metrics port for the sampler, and wrapped in {@code timeout} so it
 * stops by itself even if the runner is killed. Closing sends SIGTERM (a graceful stop), then SIGKILL.
 */
final class StandaloneServer implements AutoCloseable {

    /** The HTTP API key of every soak server. */
    static final String API_KEY = "soak-api-key";

    final String name;
    final int port;
    final int metricsPort;
    final Path log;
    private final Env env;
    private final Process process;
    private final long pid;

    private StandaloneServer(Env env, String name, int port, int metricsPort, Path log, Process process, long pid) {
        this.env = env;
        this.name = name;
        this.port = port;
        this.metricsPort = metricsPort;
        this.log = log;
        this.process = process;
        this.pid = pid;
    }

    /** Starts a server with {@code args} after the ports, API key and log format; waits until /readyz answers 200. */
    static StandaloneServer start(Env env, String name, String javaOptions, List<String> args) throws Exception {
        return start(env, name, javaOptions, args, Map.of());
    }

    /** As {@link #start(Env, String, String, List)}, with {@code extraEnv} in bin/sockeye's environment. */
    static StandaloneServer start(Env env, String name, String javaOptions, List<String> args,
                                  Map<String, String> extraEnv) throws Exception {
        int port = Env.freePort();
        int metricsPort = Env.freePort();
        List<String> cmd = new ArrayList<>();
        if (env.serverCpus != null) {
            cmd.addAll(List.of("taskset", "-c", env.serverCpus));
        }
        cmd.addAll(List.of("timeout", "--kill-after=10", env.plan.childLifetimeS() + "s",
                env.root.resolve("bin/sockeye").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--metrics-port", Integer.toString(metricsPort), "--metrics-host", "127.0.0.1",
                "--api-key", API_KEY, "--log-format", "json", "--drain-window", "1s"));
        cmd.addAll(args);
        Path log = env.logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(Map.of("SOCKEYE_SKIP_BUILD", "1", "SOCKEYE_JAVA_OPTS", javaOptions));
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long javaPid = -1;
        while (true) {
            if (javaPid < 0) {
                // timeout forks bin/sockeye, which execs java: the JVM is timeout's one child.
                javaPid = p.children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            }
            if (javaPid > 0 && ready(metricsPort)) {
                break;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException(name + " did not become ready (see logs/" + name + ".log)");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return env.track(new StandaloneServer(env, name, port, metricsPort, log, p, javaPid));
    }

    long pid() {
        return pid;
    }

    boolean isAlive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean ready(int metricsPort) {
        try {
            String status = get(metricsPort, "/readyz").lines().findFirst().orElse("");
            return status.contains(" 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** GET on the metrics port over a connection closed after the answer; the whole response as text. */
    static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: drain and exit
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        env.untrack(this);
    }
}
