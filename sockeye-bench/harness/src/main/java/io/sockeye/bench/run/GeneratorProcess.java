package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** One load generator process (see GeneratorMain), pinned to the generator CPU, driven by JSON lines. */
final class GeneratorProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final int index;
    private final Env env;
    private final ChildProcess process;

    private GeneratorProcess(Env env, int index, ChildProcess process) {
        this.env = env;
        this.index = index;
        this.process = process;
    }

    static GeneratorProcess start(Env env, int index) throws Exception {
        List<String> cmd = List.of(env.javaBin, "-Xms256m", "-Xmx2g", "-XX:+UseG1GC",
                "-cp", env.harnessClasspath, "io.sockeye.bench.generator.GeneratorMain",
                "--index", Integer.toString(index), "--threads", "1",
                "--max-lifetime-s", Long.toString(env.plan.childLifetimeS()));
        ChildProcess child = ChildProcess.start("generator-" + index, cmd, env.generatorCpus, Map.of(), null,
                env.logs.resolve("generator-" + index + ".log"), "{\"op\":\"exit\"}");
        GeneratorProcess g = env.track(new GeneratorProcess(env, index, child));
        try {
            child.awaitLine("READY", 60_000);
        } catch (Exception e) {
            g.close();
            throw e;
        }
        return g;
    }

    long pid() {
        return process.pid();
    }

    /** Sends one command and returns its result; a result with "error" becomes an exception. */
    JsonNode call(Map<String, Object> command, long timeoutMs) throws Exception {
        process.send(JSON.writeValueAsString(command));
        JsonNode result = JSON.readTree(process.awaitLine("RESULT ", timeoutMs).substring("RESULT ".length()));
        if (result.has("error")) {
            throw new IllegalStateException("generator-" + index + " " + command.get("op") + ": " + result.get("error").asText());
        }
        return result;
    }

    @Override
    public void close() {
        process.close();
        env.untrack(this);
    }
}
