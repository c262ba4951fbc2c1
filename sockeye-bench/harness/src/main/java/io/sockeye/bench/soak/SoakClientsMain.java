package io.sockeye.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.bench.generator.RunnerChild;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's client process, driven by the runner over stdin/stdout like a generator: one JSON command
 * per line, one {@code RESULT <json>} line per command. It exits on {@code exit}, at end of input, or
 * after {@code --max-lifetime-s}.
 *
 * <pre>
 * {"op":"start","plan":{...ClientPlan...}}   starts the churn, answers at once
 * {"op":"stats"}                               counters and live clients by role and transport
 * {"op":"leave"}                               every client leaves; answers once every socket is closed
 * {"op":"exit"}
 * </pre>
 */
public final class SoakClientsMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SoakClientsMain() {
    }

    public static void main(String[] args) throws Exception {
        long lifetimeS = 3600;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--max-lifetime-s")) {
                lifetimeS = Long.parseLong(args[i + 1]);
            }
        }
        PrintStream out = RunnerChild.attach("soak clients", lifetimeS);

        Round[] round = new Round[1];
        RunnerChild.serve(out, cmd -> {
            Map<String, Object> result = new LinkedHashMap<>();
            switch (cmd.path("op").asText()) {
                case "start" -> {
                    if (round[0] != null && !round[0].left) {
                        throw new IllegalStateException("a round is running: leave first");
                    }
                    round[0] = new Round(JSON.treeToValue(cmd.get("plan"), ClientPlan.class));
                }
                case "stats" -> {
                    if (round[0] != null) {
                        round[0].stats(result);
                    }
                }
                case "leave" -> {
                    if (round[0] != null) {
                        round[0].leave(result);
                    }
                }
                default -> throw new IllegalArgumentException("unknown op " + cmd.path("op"));
            }
            return result;
        });
        if (round[0] != null) {
            round[0].net.close();
        }
        System.exit(0);
    }

    /** One churn from start to leave, with its own sockets and counters. */
    private static final class Round {
        final Counters counters = new Counters();
        final Net net;
        final Churn churn;
        boolean left;

        Round(ClientPlan plan) {
            net = new Net(plan.host());
            churn = new Churn(plan, net, counters);
            churn.start();
        }

        void stats(Map<String, Object> result) throws Exception {
            if (!left) {
                result.put("live", net.loop().submit(churn::liveByTag).get(30, TimeUnit.SECONDS));
            }
            result.put("openSockets", net.open.size());
            result.put("counters", counters.snapshot());
        }

        /** Every client leaves; answers once every socket is closed (or 20 s passed: then they are closed). */
        void leave(Map<String, Object> result) throws Exception {
            if (!left) {
                left = true;
                net.loop().submit(churn::leave).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!net.open.isEmpty() && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                result.put("closedInTime", net.open.isEmpty());
                net.close();
            }
            stats(result);
        }
    }
}
