package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.bench.generator.ConnectSpec.Mode;
import io.sockeye.bench.generator.ConnectSpec.Role;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generator process, driven by the scenario runner over stdin/stdout: one JSON command per line in,
 * one {@code RESULT <json>} line out per command, in order. Logs go to stderr. The process exits on
 * {@code {"op":"exit"}}, on end of input (its runner died), or after {@code --max-lifetime-s}: a load
 * process must stop by itself.
 *
 * <pre>
 * {"op":"connect","host":"127.0.0.1","ports":[3000],"path":"/socket.io/","mode":"SOCKET_IO","role":"SUBSCRIBER",
 *  "count":1000,"concurrency":500,"room":"r","timeoutMs":30000}
 * {"op":"reset"}  {"op":"count"}  {"op":"snapshot"}
 * {"op":"publish","rate":100.0,"durationMs":5000,"payloadBytes":128,"room":"r","burst":1}   (a STANDALONE publisher: publish({room, event, data}))
 * {"op":"publishAcked","count":200,"window":1,"payloadBytes":100,"room":"r","timeoutMs":120000}
 * {"op":"echo","durationMs":5000,"payloadBytes":128}          ("event":"rpc"|"publish","room":"r": the standalone server's requests)
 * {"op":"stats"}  {"op":"close"}  {"op":"exit"}
 * </pre>
 */
public final class GeneratorMain {

    private GeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        int index = 0;
        int threads = 1;
        long maxLifetimeS = 3600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--index" -> index = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--max-lifetime-s" -> maxLifetimeS = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        PrintStream out = RunnerChild.attach("generator", maxLifetimeS);
        try (Generator generator = new Generator(index, threads)) {
            RunnerChild.serve(out, cmd -> run(generator, cmd));
        }
        System.exit(0);
    }

    static Map<String, Object> run(Generator g, JsonNode cmd) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        switch (cmd.path("op").asText()) {
            case "connect" -> {
                Generator.ConnectResult c = g.connect(connectSpec(cmd));
                r.put("ready", c.ready());
                r.put("failed", c.failed());
                r.put("failures", c.failures());
                r.put("elapsedNanos", c.elapsedNanos());
                r.put("lastReadyNanos", c.lastReadyNanos());
                r.put("readyTimesUs", HistogramCodec.encode(c.readyTimesUs()));
            }
            case "reset" -> g.resetDeliveries();
            case "count" -> r.put("count", g.deliveredCount());
            case "snapshot" -> {
                Generator.Snapshot s = g.snapshot();
                r.put("count", s.count());
                r.put("latencyUs", HistogramCodec.encode(s.latencyUs()));
                r.put("firstUs", HistogramCodec.encode(s.firstUs()));
                r.put("lastUs", HistogramCodec.encode(s.lastUs()));
                r.put("wireBytes", s.wireBytes());
            }
            case "publish" -> {
                String room = cmd.path("room").asText("r");
                int size = cmd.path("payloadBytes").asInt(128);
                Payloads payloads = g.standalonePublisher() ? Payloads.request("publish", room, size) : new Payloads(room, size);
                long start = System.nanoTime();
                long sent = g.publish(cmd.path("rate").asDouble(), cmd.path("durationMs").asLong(), payloads,
                        Math.max(1, cmd.path("burst").asInt(1)));
                r.put("sent", sent);
                r.put("elapsedNanos", System.nanoTime() - start);
            }
            case "publishAcked" -> {
                Payloads payloads = new Payloads(cmd.path("room").asText("r"), cmd.path("payloadBytes").asInt(128));
                long start = System.nanoTime();
                long acked = g.publishAcked(cmd.path("count").asLong(), Math.max(1, cmd.path("window").asInt(1)), payloads,
                        cmd.path("timeoutMs").asLong(120_000));
                r.put("acked", acked);
                r.put("elapsedNanos", System.nanoTime() - start);
            }
            case "echo" -> {
                String event = cmd.path("event").asText("echo");
                Payloads payloads = event.equals("echo") ? new Payloads("echo", cmd.path("payloadBytes").asInt(128))
                        : Payloads.request(event, cmd.path("room").asText("bench"), cmd.path("payloadBytes").asInt(128));
                Generator.EchoResult e = g.echo(cmd.path("durationMs").asLong(), payloads);
                r.put("roundTrips", e.roundTrips());
                r.put("elapsedNanos", e.elapsedNanos());
                r.put("connections", e.connections());
                r.put("latencyUs", HistogramCodec.encode(e.latencyUs()));
                r.put("refused", e.refused().values().stream().mapToLong(Long::longValue).sum());
                r.put("refusedByCode", e.refused());
            }
            case "stats" -> {
                r.put("open", g.openConnections());
                r.put("protocolErrors", g.protocolErrors());
                r.put("lost", g.lostConnections());
            }
            case "close" -> r.put("closed", g.closeAll());
            default -> throw new IllegalArgumentException("unknown op " + cmd.path("op"));
        }
        return r;
    }

    static ConnectSpec connectSpec(JsonNode cmd) {
        List<Integer> ports = new ArrayList<>();
        cmd.path("ports").forEach(p -> ports.add(p.asInt()));
        String room = cmd.path("room").isTextual() ? cmd.get("room").asText() : null;
        int count = cmd.path("count").asInt();
        return new ConnectSpec(cmd.path("host").asText("127.0.0.1"), ports, cmd.path("path").asText("/socket.io/"),
                Mode.valueOf(cmd.path("mode").asText("SOCKET_IO")), Role.valueOf(cmd.path("role").asText("IDLE")),
                count, Math.max(1, cmd.path("concurrency").asInt(Math.max(1, count))), room,
                cmd.path("timeoutMs").asLong(30_000));
    }
}
