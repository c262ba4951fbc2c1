package io.sockeye.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway redis-server for the cluster scenario: loopback only, no persistence, a free port, and
 * wrapped in {@code timeout} so it stops by itself even if the runner is killed.
 */
final class RedisServer implements AutoCloseable {

    final int port;
    private final Env env;
    private final Process process;

    private RedisServer(Env env, int port, Process process) {
        this.env = env;
        this.port = port;
        this.process = process;
    }

    static boolean available() {
        return Env.commandWorks("redis-server", "--version");
    }

    static RedisServer start(Env env) throws Exception {
        int port = Env.freePort();
        List<String> cmd = new java.util.ArrayList<>();
        if (env.serverCpus != null) {
            cmd.addAll(List.of("taskset", "-c", env.serverCpus));
        }
        cmd.addAll(List.of("timeout", env.plan.childLifetimeS() + "s", "redis-server",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--protected-mode", "no", "--loglevel", "warning"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(env.logs.resolve("redis.log").toFile()))
                .start();
        RedisServer redis = env.track(new RedisServer(env, port, p));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!redis.ping()) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                redis.close();
                throw new IllegalStateException("redis-server did not answer PING (see logs/redis.log)");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return redis;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Pid of redis-server itself (the child of {@code timeout}), for CPU accounting; the wrapper's if unknown. */
    long pid() {
        return process.children().findFirst().map(ProcessHandle::pid)
                .or(() -> process.descendants().findFirst().map(ProcessHandle::pid))
                .orElse(process.pid());
    }

    private boolean ping() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        env.untrack(this);
    }

    Map<String, Object> describe() {
        return Map.of("uri", uri(), "version", String.valueOf(Env.commandOutput(null, "redis-server", "--version")));
    }
}
