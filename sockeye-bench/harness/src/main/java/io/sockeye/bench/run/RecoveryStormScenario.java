package io.sockeye.bench.run;

import io.netty.util.concurrent.ScheduledFuture;
import io.sockeye.bench.generator.Payloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Recovery storm: N clients with connection state recovery in one room that receives 100 messages/s (one
 * publisher, a connection of its own); all drop their transport at once, stay away 5 s, and reconnect at
 * once with {@code {pid, offset}} (a client whose attempt fails tries again a second later, up to
 * {@link RecoveryClients#MAX_RETRIES} times, as socket.io-client does; the retries are counted). Reports the time from the reconnect until the last CONNECT reply, the
 * events replayed (those before each client's CONNECT reply) per second of that time, the fraction
 * recovered, duplicates and losses of the recovered clients (by the publisher's sequence number, and offsets
 * that did not increase; a client not recovered is counted as such, with why),
 * and the servers' user and system CPU over the reconnect, and what the servers counted: restores attempted,
 * succeeded, and failed by reason (why a client was answered {@code recovered: false}). On one node ({@code sockeye-csr}), or on two
 * nodes sharing recovery over Redis Streams (clients on the first node, the publisher on the second, and
 * the clients reconnect to the second: they recover on another node than the one they left).
 */
final class RecoveryStormScenario {

    /**
     * The room's publish rate: 100 msgs/s. With 10,000 clients that is a million deliveries a second, more
     * than this 2-CPU machine's one server CPU delivers (and than the runner's one client loop reads), so the
     * large storm here runs at a lower rate ({@code -Dsockeye.bench.recoveryPublishPerS=10} in BENCH_JAVA_OPTS).
     */
    static final double PUBLISH_PER_S = Double.parseDouble(System.getProperty("sockeye.bench.recoveryPublishPerS", "100"));
    static final long AWAY_MS = 5_000;
    static final String ROOM = "storm";

    /** The scenario's result. CPU in ms of the server processes (Redis included with two nodes). */
    record Result(int clients, int nodes, String reconnectTo, double publishPerS, long awayMs, long published,
                  int connected, int recovered, int notRecovered, double recoveredFraction, double timeToAllRecoveredMs,
                  long replayed, double replayedPerS, long duplicates, long lost, long offsetsNotIncreasing,
                  double serverCpuUserMs, double serverCpuSystemMs, Map<String, Integer> errors, long retries,
                  Map<String, Integer> retryReasons, Recoveries servers) {
    }

    /**
     * The peer keeps 20,000 events per room (200 s at 100 msgs/s) instead of the default 1,000: on a loaded
     * machine the reconnection of thousands of clients takes longer than the default's 10 s of this room,
     * and the storm measures recovery, not that bound (a recovery past it answers {@code recovered: false}).
     */
    static final List<String> PEER_ARGS = List.of("--room-history", "20000");

    private RecoveryStormScenario() {
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Clients of this plan's storm: 10,000 in the full run, 100 in quick (300 over Redis did not recover on a
     * saturated machine: the smoke check must not depend on the machine's load).
     */
    static int clients(Plan plan) {
        return Integer.getInteger("sockeye.bench.recoveryClients", "quick".equals(plan.name()) ? 100 : 10_000);
    }

    /** Why the two-node variant cannot run here, or null. */
    static String clusterUnavailableReason() {
        return ClusterScenario.unavailableReason();
    }

    static Result run(Env env, int nodes) throws Exception {
        if (nodes == 1) {
            try (PeerProcess peer = PeerProcess.start(env, PeerKind.SOCKEYE_CSR, "sockeye-csr-recovery", PEER_ARGS)) {
                return storm(env, List.of(peer), List.of(peer.pid()), peer.port, peer.port);
            }
        }
        try (RedisServer redis = RedisServer.start(env)) {
            List<PeerProcess> peers = new ArrayList<>();
            try {
                peers.addAll(StartAll.start(nodes, i -> () -> PeerProcess.start(env, PeerKind.SOCKEYE_CSR,
                        "sockeye-csr-recovery-node-" + i, join(PEER_ARGS, List.of("--redis-streams", redis.uri())))));
                List<Long> pids = new ArrayList<>(peers.stream().map(PeerProcess::pid).toList());
                pids.add(redis.pid());
                int other = peers.get(peers.size() - 1).port;
                return storm(env, peers, pids, peers.get(0).port, other);
            } finally {
                peers.forEach(PeerProcess::close);
            }
        }
    }

    private static Result storm(Env env, List<PeerProcess> peers, List<Long> pids, int firstPort, int reconnectPort)
            throws Exception {
        int n = clients(env.plan);
        long timeoutMs = Math.max(60_000, n * 10L);
        try (RecoveryClients net = new RecoveryClients()) {
            List<RecoveryClients.Client> subscribers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                subscribers.add(net.add(ROOM));
            }
            RecoveryClients.Client publisher = net.add(null);
            net.connectAll(subscribers, firstPort, timeoutMs);
            await(net, subscribers, RecoveryClients.Client::ready, timeoutMs, "connected and joined");
            net.connectAll(List.of(publisher), reconnectPort, timeoutMs);
            await(net, List.of(publisher), RecoveryClients.Client::ready, timeoutMs, "publisher connected");

            Payloads shape = new Payloads(ROOM, env.plan.payloadBytes());
            long[] seq = {0};
            long periodUs = Math.round(1e6 / PUBLISH_PER_S);
            ScheduledFuture<?> publishing = net.loop().scheduleAtFixedRate(
                    () -> publisher.send("42[\"publish\"," + shape.json(seq[0]++) + "]"), 0, periodUs, TimeUnit.MICROSECONDS);
            try {
                // Every client holds an offset before it drops (the usual case; pid-only is tested elsewhere).
                await(net, subscribers, c -> c.lastSeq >= 0, timeoutMs, "received a first message");
                net.dropAll(subscribers);
                Thread.sleep(AWAY_MS); // the time away is what is measured, not something to wait for
                long[] cpu0 = cpuUserSystemMs(pids);
                long start = System.nanoTime();
                net.connectAll(subscribers, reconnectPort, timeoutMs);
                await(net, subscribers, c -> c.connected || c.error != null, timeoutMs, "reconnected");
                long[] cpu1 = cpuUserSystemMs(pids);
                // Live messages once more, then every client must end on the last one published.
                Thread.sleep(1_000);
                publishing.cancel(false);
                long last = net.onLoop(() -> seq[0] - 1);
                awaitQuietly(net, subscribers, c -> c.lastSeq >= last || !c.connected, 10_000);
                List<Recoveries> counted = new ArrayList<>();
                for (PeerProcess peer : peers) {
                    counted.add(peer.recoveries());
                }
                Recoveries servers = Recoveries.sum(counted);
                return net.onLoop(() -> summarize(subscribers, peers.size(), firstPort == reconnectPort, last + 1,
                        start, cpu0, cpu1, servers));
            } finally {
                publishing.cancel(false);
            }
        }
    }

    private static Result summarize(List<RecoveryClients.Client> clients, int nodes, boolean sameNode, long published,
                                    long start, long[] cpu0, long[] cpu1, Recoveries servers) {
        int connected = 0;
        int recovered = 0;
        long lastConnected = start;
        long replayed = 0;
        long duplicates = 0;
        long lost = 0;
        long offsets = 0;
        Map<String, Integer> errors = new LinkedHashMap<>();
        Map<String, Integer> retryReasons = new LinkedHashMap<>();
        long retries = 0;
        for (RecoveryClients.Client c : clients) {
            if (c.connected) {
                connected++;
                lastConnected = Math.max(lastConnected, c.connectedNanos);
            }
            if (c.error != null) {
                errors.merge(c.error, 1, Integer::sum);
            }
            retries += c.retries;
            if (c.lastRetryReason != null) {
                retryReasons.merge(c.lastRetryReason, 1, Integer::sum);
            }
            if (!Boolean.TRUE.equals(c.recovered)) {
                if (c.error == null) {
                    errors.merge(c.connected ? "recovered: false" : "not reconnected", 1, Integer::sum);
                }
                continue; // a fresh session: counted as not recovered, its stream is not the guarantee's
            }
            recovered++;
            replayed += c.replayed;
            duplicates += c.duplicates;
            // What a client never got up to the last message published is lost too.
            lost += c.lost + Math.max(0, published - 1 - c.lastSeq);
            offsets += c.offsetsNotIncreasing;
        }
        double ms = (lastConnected - start) / 1e6;
        int n = clients.size();
        return new Result(n, nodes, sameNode ? "same node" : "other node", PUBLISH_PER_S, AWAY_MS, published,
                connected, recovered, n - recovered, Load.round((double) recovered / n), Load.round(ms), replayed,
                ms > 0 ? Load.round(replayed / (ms / 1000)) : 0, duplicates, lost, offsets,
                cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], errors, retries, retryReasons, servers);
    }

    private static void await(RecoveryClients net, List<RecoveryClients.Client> which,
                              Predicate<RecoveryClients.Client> done, long timeoutMs, String what) throws Exception {
        if (!awaitQuietly(net, which, done, timeoutMs)) {
            long ok = net.onLoop(() -> which.stream().filter(done).count());
            String error = net.onLoop(() -> which.stream().map(c -> c.error).filter(e -> e != null).findFirst().orElse("none"));
            throw new IllegalStateException(ok + " of " + which.size() + " clients " + what + " within " + timeoutMs
                    + " ms; first error: " + error);
        }
    }

    private static boolean awaitQuietly(RecoveryClients net, List<RecoveryClients.Client> which,
                                        Predicate<RecoveryClients.Client> done, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (net.onLoop(() -> which.stream().allMatch(done))) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The runner's open file descriptors (sockets included), -1 where /proc is not there. */
    static long openFiles() {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** User and system CPU (ms) summed over processes, from /proc/PID/stat (fields 14 and 15). */
    static long[] cpuUserSystemMs(List<Long> pids) {
        long[] sum = new long[2];
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum[0] += Long.parseLong(f[11]) * 10; // USER_HZ 100, as ProcStats checks
                sum[1] += Long.parseLong(f[12]) * 10;
            } catch (Exception e) {
                return new long[] {-1, -1};
            }
        }
        return sum;
    }
}
