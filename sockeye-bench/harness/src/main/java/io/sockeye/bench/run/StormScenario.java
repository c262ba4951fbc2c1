package io.sockeye.bench.run;

import java.util.List;

/**
 * Connection storm: N clients start connecting at the same moment (all handshakes in flight at once).
 * Handshakes/s (ready clients over the time the last one became ready), failures by reason, time until
 * all were connected, and each client's time from connect() to the Socket.IO CONNECT reply. A smaller,
 * gentler connect-and-close round warms the server up first; then the storm is repeated once the first
 * storm's clients have closed (a server whose JIT has compiled the handshake path).
 */
final class StormScenario {

    private StormScenario() {
    }

    static Results.Storm run(Env env, Load load, Peers peers, PeerKind kind) throws Exception {
        Plan plan = env.plan;
        int n = Math.min(plan.stormClients(), Plan.GENERATOR_MAX_CONNECTIONS);
        GeneratorProcess gen = load.generatorsFor(n).get(0);
        PeerProcess peer = peers.acquire(kind, kind.id + "-storm");
        try {
            // Warm-up (JIT, pools): a fifth of the storm, connected gently and closed again, not recorded.
            int warmup = Math.max(1, n / 5);
            load.connect(List.of(gen), warmup, Math.min(warmup, 100),
                    Load.spec(kind, List.of(peer.port), "IDLE", null, plan.stormTimeoutMs()));
            load.closeConnections();
            Results.StormRound first = storm(load, gen, peer.port, peer.pid(), kind, n, plan);
            // The same storm again once those clients are gone: the first one runs while the JIT compiler
            // still works on the handshake path (on the server's one CPU), the second one does not.
            load.closeConnections();
            Results.StormRound again = storm(load, gen, peer.port, peer.pid(), kind, n, plan);
            return new Results.Storm(n, first.connect(), first.handshakesPerS(), first.timeToAllMs(),
                    first.serverCpuMs(), first.generatorCpuMs(), again);
        } finally {
            load.closeConnections();
            peers.release(peer);
        }
    }

    /** {@code n} clients at once against {@code port}; {@code serverPid}'s CPU is the server's. */
    static Results.StormRound storm(Load load, GeneratorProcess gen, int port, long serverPid, PeerKind kind, int n,
                                    Plan plan) throws Exception {
        long serverCpu0 = ProcStats.cpuMillis(serverPid);
        long genCpu0 = ProcStats.cpuMillis(gen.pid());
        Results.Connect connect = load.connect(List.of(gen), n, n,
                Load.spec(kind, List.of(port), "IDLE", null, plan.stormTimeoutMs()));
        long serverCpu = ProcStats.cpuMillis(serverPid) - serverCpu0;
        long genCpu = ProcStats.cpuMillis(gen.pid()) - genCpu0;
        double seconds = connect.lastReadyMs() / 1000.0;
        return new Results.StormRound(connect, seconds > 0 ? Load.round(connect.ready() / seconds) : 0,
                connect.failed() == 0 ? connect.lastReadyMs() : -1, serverCpu, genCpu);
    }
}
