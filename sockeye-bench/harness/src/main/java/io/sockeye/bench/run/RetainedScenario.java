package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * Memory per retained message (Sockeye only): runs {@code io.sockeye.bench.peer.RetainedHeap} in a child JVM
 * with a fixed heap, pinned to the server CPU, and reads its one result line. One run per payload size: the
 * bench's usual 128 bytes and 1 KiB.
 */
final class RetainedScenario {

    /** What RetainedHeap measured (see there); sizes in bytes. */
    record Result(int messages, int payloadBytes, int rooms, long entries, long evicted, long heapBeforeBytes,
                  long heapAfterBytes, double heapPerEntryBytes, double estimatedPerEntryBytes, long payloadJsonBytes,
                  long maxHeapBytes) {
    }

    static final List<Integer> PAYLOADS = List.of(128, 1024);
    private static final String HEAP = "1g";

    private RetainedScenario() {
    }

    /** Messages retained per run: enough to dwarf the heap's noise in the full run, small in quick. */
    static int messages(Plan plan, int payloadBytes) {
        boolean quick = "quick".equals(plan.name());
        // The 1 KiB case stays under the history's default 64 MiB budget (about 1.2 KB an entry).
        return payloadBytes > 512 ? (quick ? 2_000 : 40_000) : (quick ? 5_000 : 100_000);
    }

    static Result run(Env env, int payloadBytes) throws Exception {
        List<String> cmd = List.of(env.javaBin, "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError", "-cp", env.harnessClasspath, "io.sockeye.bench.peer.RetainedHeap",
                "--messages", Integer.toString(messages(env.plan, payloadBytes)), "--payload", Integer.toString(payloadBytes));
        String log = "retained-" + payloadBytes;
        try (ChildProcess child = ChildProcess.start(log, cmd, env.serverCpus, Map.of(), null,
                env.logs.resolve(log + ".log"), "QUIT")) {
            String line = child.awaitLine("RETAINED ", 300_000);
            return new ObjectMapper().readValue(line.substring("RETAINED ".length()), Result.class);
        }
    }
}
