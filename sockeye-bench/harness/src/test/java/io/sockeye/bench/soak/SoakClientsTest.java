package io.sockeye.bench.soak;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.netty.HttpFallback;
import io.sockeye.netty.NettyFrontend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak's clients against a real Sockeye server speaking the rooms protocol's requests (subscribe,
 * unsubscribe, publish, presence, each acknowledged {@code {ok: true}}): every transport connects, the
 * upgrading clients upgrade, requests are answered, the backend's publishes are answered, the misbehaving
 * clients do their thing, and leaving closes every socket, without a single client error.
 */
class SoakClientsTest {

    private NettyFrontend http;
    private Net net;
    private final AtomicInteger sockets = new AtomicInteger();
    private final AtomicInteger apiPublishes = new AtomicInteger();

    @BeforeEach
    void start() {
        // Short heartbeats: a vanished polling session is gone seconds after its client (not so short that a busy
        // machine misses them).
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder()
                .pingInterval(Duration.ofSeconds(3)).pingTimeout(Duration.ofSeconds(3)).build());
        io.on("connection", socket -> {
            sockets.incrementAndGet();
            socket.onDisconnect(reason -> sockets.decrementAndGet());
            socket.on("subscribe", (a, ack) -> {
                socket.join(a.getString(0));
                ack.send(Map.of("ok", true, "room", a.getString(0)));
            });
            socket.on("unsubscribe", (a, ack) -> {
                socket.leave(a.getString(0));
                ack.send(Map.of("ok", true, "room", a.getString(0)));
            });
            socket.on("publish", (a, ack) -> {
                Map<?, ?> p = (Map<?, ?>) a.get(0);
                io.to((String) p.get("room")).emit((String) p.get("event"), p.get("data"), Map.of("room", p.get("room")));
                ack.send(Map.of("ok", true, "id", "1"));
            });
            socket.on("presence", (a, ack) -> ack.send(Map.of("ok", true, "room", a.getString(0), "count", 1)));
        });
        // The HTTP API's publish, as far as the backend can tell: a 200 for every POST /api/publish.
        HttpFallback api = (ctx, req, info) -> {
            if (!req.uri().equals("/api/publish") || !req.method().equals(HttpMethod.POST)) {
                return false;
            }
            apiPublishes.incrementAndGet();
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("{\"ok\":true}", StandardCharsets.US_ASCII));
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            ctx.writeAndFlush(res);
            return true;
        };
        http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).fallback(api).build().start();
    }

    @AfterEach
    void stop() {
        if (net != null) {
            net.close();
        }
        http.close();
    }

    @Test
    void everyKindOfClientConnectsAndLeavesWithoutAClientError() throws Exception {
        ClientPlan plan = new ClientPlan("127.0.0.1", List.of(http.port()), "unused", 7, 3, 2, 2, 1, 2,
                500, 1_500, 100, 300, 3, 700, 300, 600, 700, 700, 10, 10, 1_000, 5_000);
        Counters counters = new Counters();
        net = new Net(plan.host());
        Churn churn = new Churn(plan, net, counters);
        churn.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, Long> c = counters.snapshot();
            for (String tag : List.of("normal.websocket", "normal.polling", "normal.upgrade", "bulk_reader.websocket",
                    "resident.websocket", "resident.polling",
                    "slow_reader.websocket", "slow_reader.upgrade", "vanished.websocket", "vanished.polling")) {
                assertThat(c).as(tag).containsKey("sessions.connected." + tag);
            }
            assertThat(c).containsKeys("sessions.upgraded", "requests.ok.subscribe", "requests.ok.publish",
                    "requests.ok.unsubscribe", "requests.ok.presence", "received.events", "ended.graceful",
                    "slow.stalled", "slowloris.opened.half_request", "slowloris.opened.silent", "api.published.small",
                    "api.published.bulk");
            assertThat(c.keySet()).filteredOn(k -> k.startsWith("vanished.") && k.endsWith("_tcp")).isNotEmpty();
        });

        net.loop().submit(churn::leave).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(net.open::isEmpty);
        await().atMost(Duration.ofSeconds(30)).until(() -> sockets.get() == 0);
        assertThat(counters.snapshot().keySet()).filteredOn(k -> k.startsWith("error.")).isEmpty();
        long published = counters.get("api.published.small") + counters.get("api.published.bulk");
        long inFlight = counters.get("api.in_flight_at_leave.small") + counters.get("api.in_flight_at_leave.bulk");
        // A publish cut off by the leave may have reached the server or not.
        assertThat((long) apiPublishes.get()).isBetween(published, published + inFlight);
    }
}
