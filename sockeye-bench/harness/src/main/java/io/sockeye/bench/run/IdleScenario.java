package io.sockeye.bench.run;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle hold: N connections that only answer heartbeats.
 *
 * <p>Memory per connection is the <em>marginal</em> cost: heap after a full GC (and RSS) with N/2
 * connections and again with N, difference over N/2. Measuring from an empty server instead would
 * charge one-time start-up allocations (pools, caches, lazily built tables) to the connections, which
 * dominates at small N; that figure is kept too ({@code heapPerConnectionFromEmptyBytes}). Also: the
 * machine's kernel slab growth per connection (both ends of each loopback pair: invisible in any heap
 * or RSS), and the server CPU spent over an idle window, which with 25 s pings is the cost of heartbeats.
 */
final class IdleScenario {

    private IdleScenario() {
    }

    static Results.Idle run(Env env, Load load, Peers peers, PeerKind kind, int n) throws Exception {
        Plan plan = env.plan;
        List<GeneratorProcess> gens = load.generatorsFor(n);
        PeerProcess peer = peers.acquire(kind, kind.id + "-idle-" + n);
        try {
            PeerProcess.Memory empty = peer.memory();
            long slabBefore = ProcStats.slabBytes();
            long timeout = 30_000 + n * 10L;
            int half = n / 2;
            Results.Connect first = load.connect(gens, half, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, List.of(peer.port), "IDLE", null, timeout));
            // Fixed pauses below are measurement windows, not waits for a condition.
            TimeUnit.MILLISECONDS.sleep(plan.idleSettleMs());
            PeerProcess.Memory atHalf = peer.memory();
            Results.Connect second = load.connect(gens, n - half, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, List.of(peer.port), "IDLE", null, timeout));
            Results.Connect connect = merge(first, second);
            if (connect.ready() == 0) {
                throw new IllegalStateException("no connection became ready: " + connect.failures());
            }
            TimeUnit.MILLISECONDS.sleep(plan.idleSettleMs());
            PeerProcess.Memory full = peer.memory();
            long slabAfter = ProcStats.slabBytes();

            // An unrecorded hold first, as long as the measured one (≥ one ping interval in full mode):
            // every connection's first ping and pong happen in it, so a JVM peer's JIT compiles the
            // heartbeat path there, not in the window (measured: C2 took ~1.7 s of CPU per 10 s of the
            // first window, several times the heartbeats' own cost).
            TimeUnit.MILLISECONDS.sleep(plan.idleCpuWindowMs());
            List<Long> genPids = load.pids(gens);
            long serverCpu0 = peer.cpuMillis();
            long genCpu0 = ProcStats.cpuMillis(genPids);
            long t0 = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(plan.idleCpuWindowMs());
            double windowS = (System.nanoTime() - t0) / 1e9;
            long serverCpu = peer.cpuMillis() - serverCpu0;
            long genCpu = ProcStats.cpuMillis(genPids) - genCpu0;

            int held = connect.ready();
            int added = second.ready();
            return new Results.Idle(n, connect, full.connections(),
                    empty.heapBytes(), atHalf.heapBytes(), full.heapBytes(),
                    perConnection(full.heapBytes() - atHalf.heapBytes(), added),
                    perConnection(full.heapBytes() - empty.heapBytes(), held),
                    empty.rssBytes(), atHalf.rssBytes(), full.rssBytes(),
                    perConnection(full.rssBytes() - atHalf.rssBytes(), added),
                    slabBefore < 0 ? -1 : perConnection(slabAfter - slabBefore, held),
                    Load.round(windowS), serverCpu, Load.round(serverCpu * 1000.0 / held / windowS), genCpu);
        } finally {
            load.closeConnections();
            peers.release(peer);
        }
    }

    static Results.Connect merge(Results.Connect a, Results.Connect b) {
        java.util.Map<String, Integer> failures = new java.util.TreeMap<>(a.failures());
        b.failures().forEach((k, v) -> failures.merge(k, v, Integer::sum));
        return new Results.Connect(a.requested() + b.requested(), a.ready() + b.ready(), a.failed() + b.failed(),
                failures, a.elapsedMs() + b.elapsedMs(), a.lastReadyMs() + b.lastReadyMs(), b.timeToReady());
    }

    private static double perConnection(long bytes, int connections) {
        return connections <= 0 ? -1 : Load.round((double) bytes / connections);
    }
}
