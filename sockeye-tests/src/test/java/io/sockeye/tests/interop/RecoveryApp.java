package io.sockeye.tests.interop;

import io.sockeye.core.Ack;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.ConnectError;
import io.sockeye.core.Namespace;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.InMemoryAdapter;
import io.sockeye.core.metrics.RecordingMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HookedHistory;
import io.sockeye.testkit.ManualClock;
import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.netty.NettyFrontend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server side of the recovery scenarios ({@code src/test/node/recovery}): an embedded Sockeye with
 * connection state recovery on (30 s window on a clock the scenarios move), namespaces {@code /} and
 * {@code /other} with the app below, {@code /auth} behind a {@code useAlways} token check, and
 * {@code /control} through which a scenario drives the server (every control call answers with an ack,
 * which carries no offset).
 *
 * <table>
 * <caption>Events</caption>
 * <tr><th>namespace</th><th>event</th><th>what the server does</th></tr>
 * <tr><td>{@code /}, {@code /other}, {@code /auth}</td><td>{@code join} / {@code leave} (room)</td><td>joins / leaves, then acks</td></tr>
 * <tr><td></td><td>{@code set-data} (key, value)</td><td>puts into {@code socket.data()}, then acks</td></tr>
 * <tr><td></td><td>{@code whoami}</td><td>acks {@code {id, recovered, rooms, data}}</td></tr>
 * <tr><td>{@code /control}</td><td>{@code publish} ({nsp, room, event, args, volatile, count})</td><td>emits {@code count} times (to the room, or to all), the index appended when count &gt; 1; acks when done</td></tr>
 * <tr><td></td><td>{@code stream} ({room, event, count, everyMs})</td><td>emits {@code [event, i]} for i = 0..count-1, one every everyMs, from a timer; acks at once</td></tr>
 * <tr><td></td><td>{@code published}</td><td>acks how many the stream emitted so far</td></tr>
 * <tr><td></td><td>{@code advance} (ms)</td><td>moves the recovery clock</td></tr>
 * <tr><td></td><td>{@code race} ({when: "before-read"|"after-read", room, event, arg})</td><td>publishes once, inside the next history read of {@code /}</td></tr>
 * <tr><td></td><td>{@code reasons} (sid)</td><td>acks the server-side disconnect reasons of that socket id, in order</td></tr>
 * <tr><td></td><td>{@code tokens} ({allow, revoke})</td><td>changes the tokens {@code /auth} accepts</td></tr>
 * <tr><td></td><td>{@code metrics}</td><td>acks the server's metrics counters, e.g. {@code "recoveryFailed / / / epoch": 1}, and the app's ({@code "plain middleware /auth"})</td></tr>
 * </table>
 */
final class RecoveryApp implements AutoCloseable {

    private static final Duration WINDOW = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final AtomicReference<HookedHistory> history = new AtomicReference<>();
    private final Map<String, List<String>> reasons = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final AtomicInteger streamed = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recovery-app-stream");
        t.setDaemon(true);
        return t;
    });
    private final SocketIoServer io;
    private final NettyFrontend http;

    private RecoveryApp() {
        ServerOptions options = ServerOptions.builder()
                // Pings keep flowing, but a connection the network silenced stays "connected" for 20 s: long
                // enough that a client reconnecting meets its half-open ghost.
                .pingInterval(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofSeconds(20))
                .connectionStateRecovery(ConnectionStateRecovery.of(WINDOW, true).withClock(clock))
                .adapterFactory(nsp -> new InMemoryAdapter(nsp) {
                    @Override
                    protected RecoveryBackend newRecoveryBackend(RecoveryContext context) {
                        return HookedHistory.backend(context, history);
                    }
                })
                .metrics(metrics)
                .build();
        io = SocketIoServer.create(options);
        install(io.of("/"));
        install(io.of("/other"));
        Namespace auth = io.of("/auth");
        auth.use((socket, next) -> {
            count("plain middleware", socket.namespace().name());
            next.proceed();
        });
        auth.useAlways((socket, next) -> {
            if (tokens.contains(String.valueOf(socket.handshake().auth().get("token")))) {
                next.proceed();
            } else {
                next.reject(new ConnectError("invalid token"));
            }
        });
        install(auth);
        installControl(io.of("/control"));
        http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
    }

    static RecoveryApp start() {
        return new RecoveryApp();
    }

    /**
     * Runs the app by hand (on the test classpath) to debug one scenario:
     * {@code SOCKEYE_URL=<printed url> node --test recovery/<name>.test.mjs} in {@code src/test/node}.
     */
    public static void main(String[] args) throws InterruptedException {
        RecoveryApp app = start();
        System.out.println("SOCKEYE_URL=" + app.url());
        Thread.currentThread().join();
    }

    String url() {
        return "http://127.0.0.1:" + http.port();
    }

    private void install(Namespace nsp) {
        nsp.on("connection", socket -> {
            socket.onDisconnect(reason -> reasons.computeIfAbsent(socket.id(), id -> new CopyOnWriteArrayList<>()).add(reason));
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send();
            });
            socket.on("leave", (args, ack) -> {
                socket.leave(args.getString(0));
                ack.send();
            });
            socket.on("set-data", (args, ack) -> {
                socket.data().put(args.getString(0), args.get(1));
                ack.send();
            });
            socket.on("whoami", (args, ack) -> ack.send(describe(socket)));
        });
    }

    private static Map<String, Object> describe(Socket socket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.id());
        out.put("recovered", socket.recovered());
        out.put("rooms", new ArrayList<>(socket.rooms()));
        out.put("data", new TreeMap<>(socket.data()));
        return out;
    }

    /** {@code publish}'s argument. */
    record Publish(String nsp, String room, String event, List<Object> args, boolean isVolatile, Integer count) {
    }

    /** {@code stream}'s argument. */
    record Stream(String room, String event, int count, long everyMs) {
    }

    /** {@code race}'s argument. */
    record Race(String when, String room, String event, Object arg) {
    }

    /** {@code tokens}'s argument. */
    record Tokens(List<String> allow, List<String> revoke) {
    }

    private void installControl(Namespace control) {
        control.on("connection", socket -> {
            socket.on("publish", (args, ack) -> {
                publish(args.as(0, Publish.class));
                ack.send();
            });
            socket.on("stream", (args, ack) -> stream(args.as(0, Stream.class), ack));
            socket.on("published", (args, ack) -> ack.send(streamed.get()));
            socket.on("advance", (args, ack) -> {
                clock.advance(Duration.ofMillis(args.as(0, Long.class)));
                ack.send();
            });
            socket.on("race", (args, ack) -> {
                Race race = args.as(0, Race.class);
                Runnable publish = () -> io.to(race.room()).emit(race.event(), race.arg());
                if ("before-read".equals(race.when())) {
                    history.get().beforeNextRead(publish);
                } else {
                    history.get().afterNextRead(publish);
                }
                ack.send();
            });
            socket.on("reasons", (args, ack) -> ack.send(reasons.getOrDefault(args.getString(0), List.of())));
            socket.on("tokens", (args, ack) -> {
                Tokens change = args.as(0, Tokens.class);
                if (change.allow() != null) {
                    tokens.addAll(change.allow());
                }
                if (change.revoke() != null) {
                    change.revoke().forEach(tokens::remove);
                }
                ack.send();
            });
            socket.on("metrics", (args, ack) -> {
                Map<String, Long> out = new TreeMap<>(metrics.snapshot());
                counters.forEach((k, v) -> out.put(k, v.sum()));
                ack.send(out);
            });
        });
    }

    private void publish(Publish p) {
        Namespace nsp = io.of(p.nsp() == null ? "/" : p.nsp());
        BroadcastOperator op = p.room() == null ? nsp.except() /* no exclusion: every socket */ : nsp.to(p.room());
        if (p.isVolatile()) {
            op = op.asVolatile();
        }
        int count = p.count() == null ? 1 : p.count();
        List<Object> args = p.args() == null ? List.of() : p.args();
        for (int i = 0; i < count; i++) {
            List<Object> out = new ArrayList<>(args);
            if (count > 1) {
                out.add(i);
            }
            op.emit(p.event(), out.toArray());
        }
    }

    private void stream(Stream s, Ack ack) {
        streamed.set(0);
        for (int i = 0; i < s.count(); i++) {
            int index = i;
            timer.schedule(() -> {
                io.to(s.room()).emit(s.event(), index);
                streamed.incrementAndGet();
            }, i * s.everyMs(), TimeUnit.MILLISECONDS);
        }
        ack.send();
    }

    private void count(String... key) {
        counters.computeIfAbsent(String.join(" ", key), k -> new LongAdder()).increment();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.close();
    }
}
