package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What makes a process a child of the benchmark runner: its real stdout is kept for the answer lines the
 * runner reads (everything else printed goes to stderr, the process's log), it halts by itself after its
 * lifetime, so a load process never outlives a runner that died, and it answers one JSON command per
 * stdin line with one {@code RESULT <json>} line, until {@code {"op":"exit"}} or the end of input.
 */
public final class RunnerChild {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs one command; an exception becomes the result's {@code error}. */
    public interface Commands {
        Map<String, Object> run(JsonNode command) throws Exception;
    }

    private RunnerChild() {
    }

    /** Prints READY, then answers commands until exit or end of input. */
    public static void serve(PrintStream out, Commands commands) throws IOException {
        out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode cmd = JSON.readTree(line);
            if ("exit".equals(cmd.path("op").asText())) {
                out.println("RESULT {}");
                return;
            }
            Map<String, Object> result;
            try {
                result = commands.run(cmd);
            } catch (Exception e) {
                result = Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.println("RESULT " + JSON.writeValueAsString(result));
        }
    }

    /** Returns the real stdout; {@code who} names the process in the log line of a lifetime exit. */
    public static PrintStream attach(String who, long maxLifetimeS) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // only answer lines on the real stdout
        long lifetimeMs = maxLifetimeS * 1000;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeMs);
                System.err.println(who + ": lifetime limit reached, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // normal exit
            }
        }, "lifetime-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return out;
    }
}
