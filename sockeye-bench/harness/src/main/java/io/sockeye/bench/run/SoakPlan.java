package io.sockeye.bench.run;

import io.sockeye.bench.soak.ClientPlan;

import java.util.List;

/**
 * Sizes and durations of the soak scenario (see SoakScenario). Load is per server node: a 2-node run has
 * twice the clients, spread evenly.
 *
 * @param warmupMs          churn before the baseline is read (JIT, lazily started threads, pools), then every client leaves
 * @param churnMs           the churn that is sampled and judged
 * @param sampleEveryMs     one sample of every server this often
 * @param fitFrom           fraction of the churn left out of the slope fit (still warming up)
 * @param settleMs          after the clients leave, how long the servers get to come back to their baseline
 * @param pingInterval      the servers' Engine.IO heartbeat (a flag value, e.g. "25s")
 * @param pingTimeout       how long a pong may take
 * @param serverHeap        -Xmx of each server
 * @param judgeSlopes       whether a growing series fails the run (the long soak) or is only reported (quick)
 * @param clients           per node: populations, lifetimes, request pace, misbehaving clients, HTTP API load
 */
record SoakPlan(long warmupMs, long churnMs, long sampleEveryMs, double fitFrom, long settleMs,
                String pingInterval, String pingTimeout, String serverHeap, boolean judgeSlopes, Clients clients) {

    /** The client side of the plan; see {@link ClientPlan} for each field. */
    record Clients(int websocketClients, int pollingClients, int upgradeClients, int bulkReaders, int residentClients,
                   long minLifetimeMs, long maxLifetimeMs, long minActionGapMs, long maxActionGapMs, int rooms,
                   long slowReaderEveryMs, long minStallMs, long maxStallMs, long vanishEveryMs, long slowlorisEveryMs,
                   double apiPublishesPerS, double bulkPublishesPerS, int bulkBytes) {
    }

    /**
     * A couple of minutes for both topologies: short heartbeats (5 s + 5 s) so that vanished sessions expire
     * within the settle window; slopes reported, not judged (the window is too short to tell a leak from
     * warm-up).
     */
    static SoakPlan quick() {
        return new SoakPlan(6_000, 24_000, 3_000, 0.2, 40_000, "5s", "5s", "512m", false,
                new Clients(20, 10, 10, 2, 2, 2_000, 10_000, 500, 2_000, 10,
                        4_000, 6_000, 12_000, 4_000, 6_000, 5, 10, 32_768));
    }

    /**
     * Thirty minutes per topology with the default heartbeat (25 s + 20 s); slopes judged after the first
     * 20 % (six minutes).
     */
    static SoakPlan full() {
        return new SoakPlan(60_000, 30 * 60_000, 10_000, 0.2, 150_000, "25s", "20s", "512m", true,
                new Clients(150, 50, 100, 4, 10, 5_000, 60_000, 1_000, 4_000, 40,
                        20_000, 30_000, 90_000, 20_000, 30_000, 10, 20, 32_768));
    }

    /**
     * The client process's plan for servers on {@code ports}. Rooms span the nodes, so with N nodes there are N
     * times the chat rooms and 1/N of the bulk publishes per node: each room has as many members and each reader
     * as much to read as on one node, and the whole load is N single-node loads (not N² of them).
     */
    ClientPlan clientPlan(String host, List<Integer> ports, String apiKey, long seed) {
        Clients c = clients;
        int n = ports.size();
        return new ClientPlan(host, ports, apiKey, seed, c.websocketClients(), c.pollingClients(), c.upgradeClients(),
                c.bulkReaders(), c.residentClients(), c.minLifetimeMs(), c.maxLifetimeMs(), c.minActionGapMs(),
                c.maxActionGapMs(), c.rooms() * n, c.slowReaderEveryMs(), c.minStallMs(), c.maxStallMs(), c.vanishEveryMs(),
                c.slowlorisEveryMs(), c.apiPublishesPerS(), c.bulkPublishesPerS() / n, c.bulkBytes(), 10_000);
    }
}
