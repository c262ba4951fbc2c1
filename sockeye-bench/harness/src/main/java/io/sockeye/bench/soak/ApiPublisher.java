package io.sockeye.bench.soak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A backend publishing over the HTTP API ({@code POST /api/publish}): small messages to random chat rooms
 * and large ones to the bulk room, each node in turn, paced by {@link #tick} every 100 ms. Up to
 * {@value #LANES_PER_NODE} keep-alive connections per node, one request at a time each, on the clients'
 * event loop (so leaving closes them with everything else); a publish that finds them all busy is skipped
 * and counted, one not answered 200 is an error.
 */
final class ApiPublisher implements HttpLane.Listener {

    private static final int LANES_PER_NODE = 16;

    private final Net net;
    private final ClientPlan plan;
    private final Counters counters;
    private final SplittableRandom random;
    private final byte[] bulkBody;
    private final Map<Integer, ArrayDeque<HttpLane>> idle = new HashMap<>();
    private final Map<Integer, Integer> opened = new HashMap<>();
    private final Map<HttpLane, String> busy = new HashMap<>();
    private final List<HttpLane> lanes = new ArrayList<>();
    private double smallDue;
    private double bulkDue;
    private int nextNode;

    ApiPublisher(Net net, ClientPlan plan, Counters counters, SplittableRandom random) {
        this.net = net;
        this.plan = plan;
        this.counters = counters;
        this.random = random;
        this.bulkBody = ("{\"room\":\"" + ClientPlan.BULK_ROOM + "\",\"event\":\"bulk\",\"data\":\""
                + "x".repeat(Math.max(0, plan.bulkBytes())) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** Publishes what is due in the last 100 ms, per node. Called on the clients' event loop. */
    void tick(List<Integer> ports) {
        smallDue += plan.apiPublishesPerS() * ports.size() / 10;
        bulkDue += plan.bulkPublishesPerS() * ports.size() / 10;
        for (; smallDue >= 1; smallDue--) {
            publish("small", ports, ("{\"room\":\"room-" + random.nextInt(plan.rooms())
                    + "\",\"event\":\"news\",\"data\":{\"n\":" + random.nextInt(1_000_000) + "}}")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        for (; bulkDue >= 1; bulkDue--) {
            publish("bulk", ports, bulkBody);
        }
    }

    private void publish(String kind, List<Integer> ports, byte[] body) {
        int port = ports.get(nextNode++ % ports.size());
        HttpLane lane = idle.computeIfAbsent(port, p -> new ArrayDeque<>()).poll();
        if (lane == null && opened.getOrDefault(port, 0) < LANES_PER_NODE) {
            opened.merge(port, 1, Integer::sum);
            lane = new HttpLane(net, SourceClass.BACKEND, port, this);
            lanes.add(lane);
        }
        if (lane == null) {
            counters.add("api.skipped_busy." + kind);
            return;
        }
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/publish", content);
        req.headers().set(HttpHeaderNames.HOST, net.host + ":" + port)
                .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + plan.apiKey())
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        busy.put(lane, kind + ":" + port);
        lane.request(req);
    }

    @Override
    public void response(HttpLane lane, int status, String body) {
        String kindAndPort = busy.remove(lane);
        String kind = kindAndPort.substring(0, kindAndPort.indexOf(':'));
        counters.add(status == 200 ? "api.published." + kind : "error.api." + kind + ".http_" + status);
        idle.get(Integer.parseInt(kindAndPort.substring(kindAndPort.indexOf(':') + 1))).add(lane);
    }

    @Override
    public void failed(HttpLane lane, String why) {
        String kindAndPort = busy.remove(lane);
        if (kindAndPort == null) {
            return;
        }
        counters.add("error.api." + kindAndPort.substring(0, kindAndPort.indexOf(':')) + "." + Counters.key(why));
        // A lane that lost its request is not reused: the next publish opens a fresh one.
        opened.merge(Integer.parseInt(kindAndPort.substring(kindAndPort.indexOf(':') + 1)), -1, Integer::sum);
        lanes.remove(lane);
        lane.close(false);
    }

    /**
     * Closes every connection (on the event loop). A request still unanswered may or may not have reached the
     * server: it is counted apart ({@code api.in_flight_at_leave}), neither published nor an error.
     */
    void close() {
        busy.values().forEach(kindAndPort ->
                counters.add("api.in_flight_at_leave." + kindAndPort.substring(0, kindAndPort.indexOf(':'))));
        busy.clear();
        lanes.forEach(l -> l.close(false));
        lanes.clear();
    }
}
