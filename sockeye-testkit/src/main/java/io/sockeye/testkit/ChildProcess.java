package io.sockeye.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A program the tests start (redis-server, nats-server, node with a socket.io client...), with its
 * output kept for assertions and written to {@code target/child-processes/<name>-<jvm pid>-<n>.log}.
 *
 * <pre>{@code
 * try (ChildProcess redis = ChildProcess.command("redis-server", "--port", String.valueOf(port)).name("redis").start()) {
 *     redis.awaitLine("Ready to accept connections", Duration.ofSeconds(10));
 *     ...
 * } // stops redis and everything it started
 * }</pre>
 *
 * stdout and stderr are merged, in the order the child wrote them. Every wait has a deadline and
 * fails with the last lines of output, so a broken child explains itself in the test report.
 */
public final class ChildProcess implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Lines kept in memory for waits and failure messages; the log file keeps everything. */
    private static final int MAX_LINES = 20_000;
    private static final int TAIL_LINES = 40;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(5);
    private static final Duration FORCED_STOP = Duration.ofSeconds(5);

    private final List<String> command;
    private final Process process;
    private final Path logFile;
    private final Thread reader;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long droppedLines;
    private boolean outputClosed;

    private ChildProcess(List<String> command, Process process, Path logFile, Writer log) {
        this.command = command;
        this.process = process;
        this.logFile = logFile;
        this.reader = new Thread(() -> pump(log), "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts describing a child process running {@code command} (program first, then its arguments). */
    public static Builder command(String... command) {
        return new Builder(List.of(command));
    }

    /** Starts describing a child process running {@code command} (program first, then its arguments). */
    public static Builder command(List<String> command) {
        return new Builder(List.copyOf(command));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file holding everything the child printed. */
    public Path logFile() {
        return logFile;
    }

    /** The lines printed so far (the oldest are dropped past {@value #MAX_LINES}). */
    public List<String> lines() {
        lock.lock();
        try {
            return new ArrayList<>(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the child prints a line containing a match for {@code regex}. */
    public MatchResult awaitLine(String regex, Duration timeout) {
        return awaitLine(Pattern.compile(regex), timeout);
    }

    /**
     * Waits until a line printed by the child (earlier ones included) contains a match for
     * {@code pattern}, and returns the match, so groups can carry e.g. a port number.
     *
     * @throws AssertionError if the deadline passes or the child's output ends first
     */
    public MatchResult awaitLine(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long next = 0; // absolute number of the next line to look at
        lock.lock();
        try {
            while (true) {
                long first = droppedLines;
                int index = (int) Math.max(0, next - first);
                int seen = 0;
                for (String line : lines) {
                    if (seen++ < index) {
                        continue;
                    }
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return matcher.toMatchResult();
                    }
                }
                next = first + lines.size();
                if (outputClosed) {
                    throw failure("output ended (exit " + exitDescription() + ") before a line matched /" + pattern + "/");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw failure("no line matched /" + pattern + "/ within " + timeout);
                }
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for /" + pattern + "/");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the child to exit and returns its exit code.
     *
     * @throws AssertionError if it is still running at the deadline
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw failure("still running after " + timeout);
            }
            // Let the reader finish so lines() and the log file hold the complete output.
            reader.join(TimeUnit.SECONDS.toMillis(2));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for exit");
        }
    }

    /** The last lines printed, for failure messages. */
    public String tail() {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
    }

    /** Stops the child and every process it started: SIGTERM first, SIGKILL for those still running after a grace period. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        if (!awaitAllExited(tree, GRACEFUL_STOP)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitAllExited(tree, FORCED_STOP);
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitAllExited(List<ProcessHandle> tree, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : tree) {
            long remaining = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception timedOutOrFailed) {
                if (handle.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void pump(Writer log) {
        try (log; BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.write(line);
                log.write('\n');
                log.flush();
                append(line);
            }
        } catch (IOException e) {
            append("[ChildProcess] output stream failed: " + e);
        } finally {
            lock.lock();
            try {
                outputClosed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void append(String line) {
        lock.lock();
        try {
            lines.addLast(line);
            if (lines.size() > MAX_LINES) {
                lines.removeFirst();
                droppedLines++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private String exitDescription() {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    private AssertionError failure(String what) {
        return new AssertionError("child process " + command + " (pid " + process.pid() + "): " + what
                + "\n--- last lines (full log: " + logFile.toAbsolutePath() + ") ---\n" + tail());
    }

    /** What to start and where. */
    public static final class Builder {
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private String name;

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            this.command = command;
        }

        /** The working directory; defaults to the test's (the module directory under Maven). */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Adds or overrides one environment variable; the rest is inherited from this JVM. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Adds or overrides environment variables; the rest is inherited from this JVM. */
        public Builder env(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Names the log file; defaults to the program's file name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public ChildProcess start() {
            String base = name != null ? name : Path.of(command.get(0)).getFileName().toString();
            Path logDir = Path.of(System.getProperty("basedir", "."), "target", "child-processes");
            Path logFile = logDir.resolve(base.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            try {
                Files.createDirectories(logDir);
                Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
                try {
                    return new ChildProcess(command, builder.start(), logFile, log);
                } catch (IOException e) {
                    log.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
        }
    }
}
