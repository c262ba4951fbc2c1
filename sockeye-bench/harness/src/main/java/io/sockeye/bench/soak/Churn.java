package io.sockeye.bench.soak;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sockeye.bench.generator.Frames;
import io.sockeye.bench.soak.EioClient.Kind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The soak's clients over time, per node: keeps the well-behaved populations (WebSocket, polling,
 * upgrading, bulk readers) at their size, each client living a random lifetime and ending gracefully,
 * with a FIN or with a RST, and replaced; keeps a few residents connected for the whole churn (one
 * long-lived connection each, as a client behind a proxy that never upgrades); starts a slow reader, a
 * vanished session and a slowloris
 * connection at fixed intervals; publishes over the HTTP API. Every decision runs on the event loop.
 */
final class Churn {

    private static final String HALF_REQUEST = "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    final Net net;
    final Counters counters;
    private final ClientPlan plan;
    private final SplittableRandom random;
    private final ApiPublisher api;
    private final Set<EioClient> live = new HashSet<>();
    private final Set<Channel> silent = new HashSet<>();
    private final List<ScheduledFuture<?>> periodic = new ArrayList<>();
    private boolean running;

    Churn(ClientPlan plan, Net net, Counters counters) {
        this.plan = plan;
        this.net = net;
        this.counters = counters;
        this.random = new SplittableRandom(plan.seed());
        this.api = new ApiPublisher(net, plan, counters, new SplittableRandom(plan.seed() + 1));
    }

    void start() {
        net.loop().execute(() -> {
            running = true;
            for (int port : plan.ports()) {
                population(Kind.WEBSOCKET, Role.NORMAL, port, plan.websocketClients());
                population(Kind.POLLING, Role.NORMAL, port, plan.pollingClients());
                population(Kind.UPGRADE, Role.NORMAL, port, plan.upgradeClients());
                population(Kind.WEBSOCKET, Role.BULK_READER, port, plan.bulkReaders());
                population(Kind.WEBSOCKET, Role.RESIDENT, port, plan.residentClients() / 2);
                population(Kind.POLLING, Role.RESIDENT, port, plan.residentClients() - plan.residentClients() / 2);
                long[] n = new long[3]; // per node, so that every node gets every kind in turn
                every(plan.slowReaderEveryMs(), () -> spawn(n[0]++ % 2 == 0 ? Kind.WEBSOCKET : Kind.UPGRADE,
                        Role.SLOW_READER, port));
                every(plan.vanishEveryMs(), () -> spawn(n[1]++ % 2 == 0 ? Kind.WEBSOCKET : Kind.POLLING,
                        Role.VANISHED, port));
                every(plan.slowlorisEveryMs(), () -> slowloris(port, n[2]++ % 2 == 0));
            }
            every(1_000, () -> live.forEach(c -> c.expireRequests(plan.requestTimeoutMs())));
            every(100, () -> api.tick(plan.ports()));
        });
    }

    /** Starts {@code n} clients spread over the shortest lifetime, so they do not all end together. */
    private void population(Kind kind, Role role, int port, int n) {
        for (int i = 0; i < n; i++) {
            net.loop().schedule(() -> spawn(kind, role, port), random.nextLong(plan.minLifetimeMs()), TimeUnit.MILLISECONDS);
        }
    }

    private void every(long periodMs, Runnable task) {
        periodic.add(net.loop().scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS));
    }

    private void spawn(Kind kind, Role role, int port) {
        if (!running) {
            return;
        }
        EioClient c = new EioClient(this, kind, role, port);
        live.add(c);
        c.start();
    }

    // ---- what each role does once connected ----

    void behave(EioClient c) {
        switch (c.role) {
            case NORMAL, RESIDENT -> {
                subscribe(c, randomRoom());
                subscribe(c, randomRoom());
                long deadline = c.role == Role.RESIDENT ? Long.MAX_VALUE
                        : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifetime());
                c.after(gap(), () -> act(c, deadline));
            }
            case BULK_READER -> {
                subscribe(c, ClientPlan.BULK_ROOM);
                c.after(5 * lifetime(), () -> c.end(ending()));
            }
            case SLOW_READER -> {
                subscribe(c, ClientPlan.BULK_ROOM);
                c.after(3_000, () -> {
                    c.stall();
                    counters.add("slow.stalled");
                    c.after(plan.minStallMs() + random.nextLong(plan.maxStallMs() - plan.minStallMs() + 1),
                            () -> afterStall(c));
                });
            }
            case VANISHED -> {
                subscribe(c, randomRoom());
                c.after(2_000, () -> {
                    c.stall();
                    if (c.kind == Kind.POLLING && random.nextBoolean()) {
                        c.dropPollingConnections();
                        counters.add("vanished.polling_without_tcp");
                    } else {
                        counters.add("vanished." + c.kind.name().toLowerCase(java.util.Locale.ROOT) + "_holding_tcp");
                    }
                });
            }
            default -> throw new IllegalStateException(c.role.toString());
        }
    }

    private void act(EioClient c, long deadline) {
        if (System.nanoTime() >= deadline) {
            c.end(ending());
            return;
        }
        List<String> rooms = c.rooms();
        int r = random.nextInt(100);
        if (r < 50 && !rooms.isEmpty()) {
            String room = rooms.get(random.nextInt(rooms.size()));
            c.request("publish", "publish", "{\"room\":\"" + room + "\",\"event\":\"chat\",\"data\":{\"n\":"
                    + random.nextInt(1_000_000) + ",\"text\":\"a soak test message of about a hundred bytes\"}}");
        } else if (r < 70 && rooms.size() < 4) {
            subscribe(c, randomRoom());
        } else if (r < 90 && rooms.size() > 1) {
            String room = rooms.remove(random.nextInt(rooms.size()));
            c.request("unsubscribe", "unsubscribe", Frames.jsonString(room));
        } else if (!rooms.isEmpty()) {
            c.request("presence", "presence", Frames.jsonString(rooms.get(0)));
        }
        c.after(gap(), () -> act(c, deadline));
    }

    private void afterStall(EioClient c) {
        int r = random.nextInt(4);
        if (r < 2) {
            counters.add("slow.resumed");
            c.unstall();
            c.after(10_000, () -> {
                // Still connected 10 s after reading again: the server never cut it off.
                counters.add("slow.not_cut_off");
                c.end("graceful");
            });
        } else if (r == 2) {
            counters.add("slow.reset_while_stalled");
            c.end("reset");
        } else {
            counters.add("slow.stuck_until_the_end"); // never reads again; closed when the clients leave
        }
    }

    private void subscribe(EioClient c, String room) {
        if (!c.rooms().contains(room)) {
            c.rooms().add(room);
            c.request("subscribe", "subscribe", Frames.jsonString(room));
        }
    }

    private String randomRoom() {
        return "room-" + random.nextInt(plan.rooms());
    }

    private long lifetime() {
        return plan.minLifetimeMs() + random.nextLong(plan.maxLifetimeMs() - plan.minLifetimeMs() + 1);
    }

    private long gap() {
        return plan.minActionGapMs() + random.nextLong(plan.maxActionGapMs() - plan.minActionGapMs() + 1);
    }

    /** 70 % graceful, 15 % a FIN without any close, 15 % a TCP RST. */
    private String ending() {
        int r = random.nextInt(100);
        return r < 70 ? "graceful" : r < 85 ? "fin" : "reset";
    }

    private void slowloris(int port, boolean half) {
        counters.add("slowloris.opened." + (half ? "half_request" : "silent"));
        Channel ch = net.connect(SourceClass.SLOWLORIS, port, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                if (half) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer(HALF_REQUEST, StandardCharsets.US_ASCII));
                }
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                silent.remove(ctx.channel());
                if (running) {
                    counters.add("slowloris.cut_off");
                }
            }
        }).channel();
        silent.add(ch);
    }

    // ---- endings ----

    void closedByServer(EioClient c, String why) {
        switch (c.role) {
            case NORMAL, BULK_READER, RESIDENT -> counters.add("error.lost." + Counters.key(why));
            case SLOW_READER -> counters.add(c.stalled() ? "slow.cut_off_while_stalled" : "slow.cut_off_after_resume");
            case VANISHED -> counters.add("vanished.cut_off." + c.kind.name().toLowerCase(java.util.Locale.ROOT));
            default -> throw new IllegalStateException(c.role.toString());
        }
    }

    void ended(EioClient c) {
        live.remove(c);
        if (running && c.role.wellBehaved()) {
            net.loop().schedule(() -> spawn(c.kind, c.role, c.port()), 100 + random.nextLong(400), TimeUnit.MILLISECONDS);
        }
    }

    /** Live clients by role and kind (call on the event loop). */
    Map<String, Integer> liveByTag() {
        Map<String, Integer> m = new TreeMap<>();
        live.forEach(c -> m.merge(c.tag(), 1, Integer::sum));
        return m;
    }

    /**
     * Ends the churn: well-behaved connected clients leave gracefully, every other socket is closed (FIN).
     * Runs on the event loop; the caller then waits for {@link Net#open} to empty.
     */
    void leave() {
        running = false;
        periodic.forEach(f -> f.cancel(false));
        for (EioClient c : List.copyOf(live)) {
            c.end(c.role.wellBehaved() && c.connected() ? "graceful_at_leave" : "fin_at_leave");
        }
        List.copyOf(silent).forEach(ch -> ch.close());
        api.close();
    }
}
