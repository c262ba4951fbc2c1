package io.sockeye.server.admin;

import io.sockeye.core.Args;
import io.sockeye.core.ConnectError;
import io.sockeye.core.Namespace;
import io.sockeye.core.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every node's plotted numbers, so that each node's dashboard draws one line per node of the cluster.
 *
 * <p>Each node publishes its own {@link DashboardStats} sample once a second with
 * {@code serverSideEmit} on a namespace of its own, {@value #NAMESPACE}, and remembers the latest
 * sample of every other node. A node whose samples stop (stopped, crashed, cut off from the bus)
 * is dropped after {@link #EXPIRY}. Push rather than request/response: a dashboard never waits for
 * the slowest node, and a node that went away costs nothing but its expiry.
 *
 * <p>Why a namespace of its own: the cluster adapters carry a namespace's messages on that
 * namespace's channel ({@code socket.io#/sockeye-dashboard#} on Redis), and socket.io nodes only
 * listen to the namespaces they created, so a Node.js socket.io server sharing the bus never sees
 * these samples, and the application's own {@code serverSideEmit} listeners on {@code /} do not
 * either. Clients may not connect to it. Both buses (Redis, NATS) carry {@code serverSideEmit}.
 */
final class ClusterSeries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSeries.class);

    static final String NAMESPACE = "/sockeye-dashboard";
    static final String EVENT = "node_stats";
    /** How long a node stays on the plots after its last sample. */
    static final Duration EXPIRY = Duration.ofSeconds(5);
    static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);
    /** Nodes remembered at most (a bus shared by mistake must not grow this without bound). */
    static final int MAX_NODES = 256;
    /** The fields a node shares: what the plots draw. */
    static final List<String> FIELDS = List.of("node", "time", "connections", "messagesInPerSecond",
            "messagesOutPerSecond", "latencyP50Millis", "latencyP99Millis", "rejectedHandshakesPerSecond",
            "recoveriesPerSecond");

    private record Remote(Map<String, Object> series, long receivedNanos) {
    }

    private final DashboardStats local;
    private final Namespace channel;
    private final Map<String, Remote> others = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    ClusterSeries(SocketIoServer io, DashboardStats local) {
        this.local = local;
        this.channel = io.of(NAMESPACE);
        channel.use((socket, next) -> next.reject(new ConnectError("not a client namespace")));
        channel.on(EVENT, (args, ack) -> receive(args));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-dashboard-series");
            t.setDaemon(true);
            return t;
        });
        long every = PUBLISH_EVERY.toMillis();
        timer.scheduleAtFixedRate(this::publishSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void publishSafely() {
        try {
            channel.serverSideEmit(EVENT, series(local.current()));
        } catch (RuntimeException e) {
            log.debug("dashboard series not published", e); // the bus is down: readiness says so already
        }
    }

    private void receive(Args args) {
        if (args.size() != 1 || !(args.get(0) instanceof Map<?, ?> map)
                || !(map.get("node") instanceof String node) || node.isEmpty() || node.length() > 200) {
            return;
        }
        if (!others.containsKey(node) && others.size() >= MAX_NODES) {
            return;
        }
        Map<String, Object> series = new LinkedHashMap<>();
        for (String field : FIELDS) {
            Object value = map.get(field);
            series.put(field, value instanceof Number || field.equals("node") ? value : null);
        }
        others.put(node, new Remote(series, System.nanoTime()));
    }

    /** This node's series ({@code own}, a {@link DashboardStats#current()}) and every live other node's, by name. */
    List<Map<String, Object>> nodes(Map<String, Object> own) {
        long now = System.nanoTime();
        others.values().removeIf(r -> now - r.receivedNanos() > EXPIRY.toNanos());
        List<Map<String, Object>> out = new ArrayList<>();
        Object ownName = own.get("node");
        out.add(series(own));
        others.forEach((node, remote) -> {
            if (!node.equals(ownName)) {
                out.add(remote.series());
            }
        });
        out.sort(Comparator.comparing(m -> String.valueOf(m.get("node"))));
        return out;
    }

    /** The plotted fields of a sample. */
    static Map<String, Object> series(Map<String, Object> stats) {
        Map<String, Object> series = new LinkedHashMap<>();
        for (String field : FIELDS) {
            series.put(field, stats.get(field));
        }
        return series;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
