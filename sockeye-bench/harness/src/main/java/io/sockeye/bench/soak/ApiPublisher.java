package io.sockeye.bench.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend publishing over the HTTP API ({@code POST /api/publish}): small messages to random chat rooms
 * and large ones to the bulk room, each node in turn, paced by {@link #tick} every 100 ms. A publish that
 * does not answer 200 is an error; past 64 requests in flight it is skipped and counted.
 */
final class ApiPublisher {

    private static final int MAX_IN_FLIGHT = 64;

    private final ClientPlan plan;
    private final Counters counters;
    private final SplittableRandom random;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "soak-api");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;
    private final String bulkBody;
    private final AtomicInteger inFlight = new AtomicInteger();
    private double smallDue;
    private double bulkDue;
    private int nextNode;

    ApiPublisher(ClientPlan plan, Counters counters, SplittableRandom random) {
        this.plan = plan;
        this.counters = counters;
        this.random = random;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.bulkBody = "{\"room\":\"" + ClientPlan.BULK_ROOM + "\",\"event\":\"bulk\",\"data\":\""
                + "x".repeat(Math.max(0, plan.bulkBytes())) + "\"}";
    }

    /** Publishes what is due in the last 100 ms, per node. Called on the clients' event loop. */
    void tick(List<Integer> ports) {
        smallDue += plan.apiPublishesPerS() * ports.size() / 10;
        bulkDue += plan.bulkPublishesPerS() * ports.size() / 10;
        for (; smallDue >= 1; smallDue--) {
            publish("small", ports, "{\"room\":\"room-" + random.nextInt(plan.rooms())
                    + "\",\"event\":\"news\",\"data\":{\"n\":" + random.nextInt(1_000_000) + "}}");
        }
        for (; bulkDue >= 1; bulkDue--) {
            publish("bulk", ports, bulkBody);
        }
    }

    private void publish(String kind, List<Integer> ports, String body) {
        int port = ports.get(nextNode++ % ports.size());
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            counters.add("api.skipped_busy." + kind);
            return;
        }
        inFlight.incrementAndGet();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + plan.host() + ":" + port + "/api/publish"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + plan.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null) {
                counters.add("error.api." + kind + "." + Counters.key(failure.getClass().getSimpleName()));
            } else if (res.statusCode() != 200) {
                counters.add("error.api." + kind + ".http_" + res.statusCode());
            } else {
                counters.add("api.published." + kind);
            }
        });
    }

    void close() {
        executor.shutdownNow();
    }
}
