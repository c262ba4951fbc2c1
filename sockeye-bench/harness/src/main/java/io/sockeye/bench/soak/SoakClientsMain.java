package io.sockeye.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // only RESULT lines on the real stdout
        long lifetimeMs = lifetimeS * 1000;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeMs);
                System.err.println("soak clients: lifetime limit reached, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // normal exit
            }
        }, "lifetime-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Round round = null;
        out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode cmd = JSON.readTree(line);
            String op = cmd.path("op").asText();
            if (op.equals("exit")) {
                out.println("RESULT {}");
                break;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                switch (op) {
                    case "start" -> {
                        if (round != null && !round.left) {
                            throw new IllegalStateException("a round is running: leave first");
                        }
                        round = new Round(JSON.treeToValue(cmd.get("plan"), ClientPlan.class));
                    }
                    case "stats" -> {
                        if (round != null) {
                            round.stats(result);
                        }
                    }
                    case "leave" -> {
                        if (round != null) {
                            round.leave(result);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown op " + op);
                }
            } catch (Exception e) {
                result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            out.println("RESULT " + JSON.writeValueAsString(result));
        }
        if (round != null) {
            round.net.close();
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
                churn.api().close();
            }
            stats(result);
        }
    }
}
