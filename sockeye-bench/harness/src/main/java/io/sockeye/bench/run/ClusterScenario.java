package io.sockeye.bench.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Cluster fan-out: the fan-out scenario across several Sockeye nodes joined by the Redis adapter
 * (socket.io's classic Redis adapter format). Subscribers are spread evenly over the nodes, the publisher
 * sits on the first, so every message crosses Redis once and each node fans out locally. Server CPU is
 * the sum over the nodes and Redis. Compare with the single-node Sockeye fan-out of the same size.
 */
final class ClusterScenario {

    private ClusterScenario() {
    }

    /** Why the scenario cannot run here, or null when it can. */
    static String unavailableReason() {
        if (!RedisServer.available()) {
            return "redis-server is not installed (apt-get install redis-server)";
        }
        try {
            Class.forName("io.sockeye.adapter.redis.RedisAdapterFactory");
        } catch (ClassNotFoundException e) {
            return "not yet: the sockeye-adapter-redis module is not built";
        }
        return null;
    }

    static Results.Fanout run(Env env, Load load) throws Exception {
        Plan plan = env.plan;
        List<PeerProcess> nodes = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(env)) {
            try {
                nodes.addAll(StartAll.start(plan.clusterNodes(), i -> () -> PeerProcess.start(env, PeerKind.SOCKEYE,
                        "sockeye-cluster-node-" + i, List.of("--redis", redis.uri()))));
                List<Integer> ports = nodes.stream().map(p -> p.port).toList();
                List<Long> pids = new ArrayList<>(nodes.stream().map(PeerProcess::pid).toList());
                pids.add(redis.pid());
                return FanoutScenario.measure(env, load, PeerKind.SOCKEYE, ports, pids, plan.clusterSubscribers());
            } finally {
                nodes.forEach(PeerProcess::close);
            }
        }
    }
}
