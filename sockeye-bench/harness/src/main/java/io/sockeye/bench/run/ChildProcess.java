package io.sockeye.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process of the runner (peer server or generator) talking in lines: commands on its stdin,
 * answers on its stdout, stderr appended to a log file. Optionally pinned to CPUs with {@code taskset}.
 * Closing it asks politely (QUIT / exit line), then destroys it: no child outlives the runner's call.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String quitLine;

    private ChildProcess(String name, Process process, String quitLine) {
        this.name = name;
        this.process = process;
        this.quitLine = quitLine;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command}, pinned to {@code cpus} (e.g. "0") when not null, with extra environment,
     * stderr appended to {@code log}.
     */
    static ChildProcess start(String name, List<String> command, String cpus, Map<String, String> env,
                              Path workDir, Path log, String quitLine) throws IOException {
        List<String> full = new ArrayList<>();
        if (cpus != null) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().putAll(env);
        return new ChildProcess(name, pb.start(), quitLine);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // process gone
        }
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    synchronized void send(String line) throws IOException {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
    }

    /** The next stdout line starting with {@code prefix} (others are skipped), within the timeout. */
    String awaitLine(String prefix, long timeoutMs) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS) : null;
            if (line != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                continue;
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " while waiting for '" + prefix + "' (see its log)");
            }
            if (System.nanoTime() >= deadline) {
                throw new TimeoutException(name + " did not print '" + prefix + "' within " + timeoutMs + " ms");
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send(quitLine);
            } catch (IOException e) {
                // already closing
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
