package io.sockeye.adapter.redis;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package) on a free port, as a child process without
 * persistence. Can be killed (SIGKILL, like a crash) and restarted on the same port.
 */
final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final List<String> extraArguments;
    private ChildProcess process;

    private RedisServer(int port, List<String> extraArguments) {
        this.port = port;
        this.extraArguments = extraArguments;
    }

    /** Starts a server on a free port. */
    static RedisServer start() {
        return start(List.of());
    }

    /** Starts a server on a free port with more command-line options (e.g. {@code --replicaof host port}). */
    static RedisServer start(List<String> extraArguments) {
        RedisServer server = new RedisServer(FreePorts.next(), List.copyOf(extraArguments));
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
        List<String> command = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"));
        command.addAll(extraArguments);
        process = ChildProcess.command(command).name("redis-server-" + port).start();
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
        return executable("redis-server");
    }

    /** {@code redis-server} or {@code redis-cli} from the PATH (the Debian package redis-server). */
    static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin", name))) {
            return "/usr/bin/" + name;
        }
        throw new AssertionError(name + " not found on the PATH: run bin/install-test-deps "
                + "(Debian package redis-server)");
    }
}
