package io.sockeye.adapter.redis;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package) on a free port, as a child process without
 * persistence. Can be killed (SIGKILL, like a crash) and restarted on the same port.
 */
final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private ChildProcess process;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts a server on a free port. */
    static RedisServer start() {
        RedisServer server = new RedisServer(FreePorts.next());
        server.launch();
        return server;
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void launch() {
        String binary = executable();
        process = ChildProcess.command(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").name("redis-server-" + port).start();
        process.awaitLine("Ready to accept connections", START_TIMEOUT);
    }

    /** Kills the server with SIGKILL and waits until it is gone. */
    void kill() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle != null) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("redis-server did not die", e);
            }
        }
        process.close();
    }

    /** Starts the server again on the same port (after {@link #kill()}). */
    void restart() {
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
            return "/usr/bin/redis-server";
        }
        throw new AssertionError("redis-server not found on the PATH: run bin/install-test-deps "
                + "(Debian package redis-server)");
    }
}
