package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.sockeye.bench.generator.HistogramCodec;

import java.util.List;
import java.util.Map;

/**
 * Echo with acks, closed loop: C connections each keep one {@code echo} request in flight and send the
 * next as soon as the ack comes back. Round trips/s and round-trip latency (send to ack, both measured
 * in the generator process), after an unrecorded warm-up.
 */
final class EchoScenario {

    private EchoScenario() {
    }

    static Results.Echo run(Env env, Load load, Peers peers, PeerKind kind) throws Exception {
        Plan plan = env.plan;
        int c = Math.min(plan.echoConnections(), Plan.GENERATOR_MAX_CONNECTIONS);
        List<GeneratorProcess> gens = load.generatorsFor(c);
        GeneratorProcess gen = gens.get(0);
        PeerProcess peer = peers.acquire(kind, kind.id + "-echo");
        try {
            Results.Connect connect = load.connect(List.of(gen), c, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, List.of(peer.port), "ECHO", null, 30_000 + c * 10L));
            if (connect.ready() == 0) {
                throw new IllegalStateException("no connection became ready: " + connect.failures());
            }
            Map<String, Object> warmup = Map.of("op", "echo", "durationMs", plan.echoWarmupMs(),
                    "payloadBytes", plan.payloadBytes());
            gen.call(warmup, plan.echoWarmupMs() + 60_000);

            long serverCpu0 = peer.cpuMillis();
            long genCpu0 = ProcStats.cpuMillis(gen.pid());
            JsonNode r = gen.call(Map.of("op", "echo", "durationMs", plan.echoMs(), "payloadBytes", plan.payloadBytes()),
                    plan.echoMs() + 60_000);
            long serverCpu = peer.cpuMillis() - serverCpu0;
            long genCpu = ProcStats.cpuMillis(gen.pid()) - genCpu0;

            long roundTrips = r.get("roundTrips").asLong();
            double seconds = r.get("elapsedNanos").asLong() / 1e9;
            return new Results.Echo(connect.ready(), connect, roundTrips, Load.round(seconds),
                    Load.round(roundTrips / seconds), Results.Latency.of(HistogramCodec.decode(r.get("latencyUs").asText())),
                    serverCpu, genCpu, serverCpu > 0 ? Load.round(roundTrips / (serverCpu / 1000.0)) : -1);
        } finally {
            load.closeConnections();
            peers.release(peer);
        }
    }
}
