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
        return start(env, index, "generator-" + index, List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC",
                "-cp", env.harnessClasspath, "io.sockeye.bench.generator.GeneratorMain",
                "--index", Integer.toString(index), "--threads", "1"));
    }

    /** The soak's client process (io.sockeye.bench.soak.SoakClientsMain), driven the same way. */
    static GeneratorProcess startSoakClients(Env env, String name) throws Exception {
        return start(env, 0, name, List.of("-Xms128m", "-Xmx1g", "-XX:+UseG1GC",
                "-cp", env.harnessClasspath, "io.sockeye.bench.soak.SoakClientsMain"));
    }

    private static GeneratorProcess start(Env env, int index, String name, List<String> javaArgs) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(env.javaBin);
        cmd.addAll(javaArgs);
        cmd.addAll(List.of("--max-lifetime-s", Long.toString(env.plan.childLifetimeS())));
        ChildProcess child = ChildProcess.start(name, cmd, env.generatorCpus, Map.of(), null,
                env.logs.resolve(name + ".log"), "{\"op\":\"exit\"}");
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
            throw new IllegalStateException(process.name() + " " + command.get("op") + ": " + result.get("error").asText());
        }
        return result;
    }

    @Override
    public void close() {
        process.close();
        env.untrack(this);
    }
}
