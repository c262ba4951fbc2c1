package io.sockeye.bench.run;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle hold: N connections that only answer heartbeats. Reads the server's heap after a full GC and its
 * RSS before and after connecting (per connection = difference / N), the machine's kernel slab growth
 * per connection (both ends of each loopback pair: invisible in any heap or RSS), and the server CPU
 * spent over an idle window, which with 25 s pings is the cost of heartbeats.
 */
final class IdleScenario {

    private IdleScenario() {
    }

    static Results.Idle run(Env env, Load load, PeerKind kind, int n) throws Exception {
        Plan plan = env.plan;
        List<GeneratorProcess> gens = load.generatorsFor(n);
        try (PeerProcess peer = PeerProcess.start(env, kind, kind.id + "-idle-" + n, List.of())) {
            PeerProcess.Memory before = peer.memory();
            long slabBefore = ProcStats.slabBytes();
            long timeout = 30_000 + n * 10L;
            Results.Connect connect = load.connect(gens, n, Plan.CONNECT_CONCURRENCY,
                    Load.spec(kind, List.of(peer.port), "IDLE", null, timeout));
            if (connect.ready() == 0) {
                throw new IllegalStateException("no connection became ready: " + connect.failures());
            }
            // Fixed pauses below are measurement windows, not waits for a condition.
            TimeUnit.MILLISECONDS.sleep(plan.idleSettleMs());
            PeerProcess.Memory after = peer.memory();
            long slabAfter = ProcStats.slabBytes();

            List<Long> genPids = load.pids(gens);
            long serverCpu0 = peer.cpuMillis();
            long genCpu0 = ProcStats.cpuMillis(genPids);
            long t0 = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(plan.idleCpuWindowMs());
            double windowS = (System.nanoTime() - t0) / 1e9;
            long serverCpu = peer.cpuMillis() - serverCpu0;
            long genCpu = ProcStats.cpuMillis(genPids) - genCpu0;
            load.closeConnections();

            int held = connect.ready();
            return new Results.Idle(n, connect, after.connections(),
                    before.heapBytes(), after.heapBytes(), perConnection(after.heapBytes() - before.heapBytes(), held),
                    before.rssBytes(), after.rssBytes(), perConnection(after.rssBytes() - before.rssBytes(), held),
                    slabBefore < 0 ? -1 : perConnection(slabAfter - slabBefore, held),
                    Load.round(windowS), serverCpu, Load.round(serverCpu * 1000.0 / held / windowS), genCpu);
        } finally {
            load.closeConnections();
        }
    }

    private static double perConnection(long bytes, int connections) {
        return Load.round((double) bytes / connections);
    }
}
