package io.sockeye.bench.run;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where things are and how processes are placed: class paths, the Node peer's directory, the output
 * directory, the CPUs for servers and generators, and every child process started (so a dying runner
 * takes them all down).
 */
final class Env {

    final Path root;
    final Path out;
    final Path logs;
    final Plan plan;
    final String harnessClasspath;
    final String nettySocketIoClasspath;
    final Path nodeDir;
    final String javaBin;
    /** CPU list for server processes (taskset syntax), or null when not pinning. */
    final String serverCpus;
    /** CPU list for generator processes, or null when not pinning. */
    final String generatorCpus;
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();

    Env(Path root, Path out, Plan plan) throws IOException {
        this.root = root;
        this.out = out;
        this.logs = out.resolve("logs");
        Files.createDirectories(logs);
        this.plan = plan;
        Path harness = root.resolve("sockeye-bench/harness/target");
        Path nsio = root.resolve("sockeye-bench/netty-socketio-peer/target");
        this.harnessClasspath = classpath(harness);
        this.nettySocketIoClasspath = Files.exists(nsio.resolve("classpath.txt")) ? classpath(nsio) : null;
        this.nodeDir = root.resolve("bench/peers/node");
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && commandWorks("taskset", "-c", "0", "true");
        this.serverCpus = pin ? "0" : null;
        this.generatorCpus = pin ? "1" : null;
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeChildren, "close-children"));
    }

    private static String classpath(Path target) throws IOException {
        return target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("classpath.txt")).trim();
    }

    /** CPUs the generator processes may use together: one when pinned, else all. */
    double generatorCores() {
        return generatorCpus == null ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /** JVM options every JVM peer gets, so they differ only in the server code. */
    /**
     * Options of every JVM peer, plus BENCH_PEER_JAVA_OPTS (space-separated) when set: how a profile of a
     * peer is taken, e.g. {@code BENCH_PEER_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/peer.jfr}.
     */
    List<String> peerJvmOptions() {
        List<String> options = new java.util.ArrayList<>(
                List.of("-Xms256m", "-Xmx" + plan.peerHeap(), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
        String extra = System.getenv("BENCH_PEER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    <T extends AutoCloseable> T track(T child) {
        children.add(child);
        return child;
    }

    void untrack(AutoCloseable child) {
        children.remove(child);
    }

    void closeChildren() {
        for (AutoCloseable c : List.copyOf(children)) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort on the way out
            }
        }
        children.clear();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Whether a command runs and exits 0 within 20 s (tool detection). */
    static boolean commandWorks(String... command) {
        return commandOutput(null, command) != null;
    }

    /** A command's output (stdout+stderr, trimmed) if it exits 0 within 20 s, else null. */
    static String commandOutput(Path dir, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(bytes).trim() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** What the results say about the machine and the tools, so a reader can judge the numbers. */
    Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuModel());
        m.put("memTotalBytes", memTotal());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("node", commandOutput(null, "node", "--version"));
        m.put("openFilesLimit", commandOutput(null, "sh", "-c", "ulimit -n"));
        m.put("loadAverageAtStart", ProcStats.loadAverage());
        m.put("pinning", serverCpus == null ? "none (taskset unavailable or one CPU)"
                : "servers on CPU " + serverCpus + ", generators on CPU " + generatorCpus);
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
