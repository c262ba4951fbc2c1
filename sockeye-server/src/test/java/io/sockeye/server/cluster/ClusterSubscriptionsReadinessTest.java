package io.sockeye.server.cluster;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.adapter.nats.NatsAdapterFactory;
import io.sockeye.adapter.nats.NatsAdapterOptions;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.rooms.RoomsHarness;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A clustered standalone node is not ready, and its start does not return, before the bus confirmed
 * its subscriptions for namespace {@code /}: with a real nats-server behind a proxy that holds the
 * answers once the node subscribed, and with a real redis-server.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSubscriptionsReadinessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void natsNodeIsNotReadyUntilTheServerConfirmedItsSubscriptionsAndThenReceivesBroadcasts() throws Exception {
        int nats = server("Server is ready", "nats-server", "-a", "127.0.0.1", "-p");
        HoldingTcpProxy proxy = new HoldingTcpProxy(nats, "SUB ");
        opened.add(proxy);
        int port = FreePorts.next();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        opened.add(starter::shutdownNow);
        CompletableFuture<SockeyeApplication> started = CompletableFuture.supplyAsync(() -> adopt(
                SockeyeApplication.start(ConfigLoader.load(new String[] {"--host", "127.0.0.1", "--port",
                        String.valueOf(port), "--warmup=false", "--nats-url", "nats://127.0.0.1:" + proxy.port()}))),
                starter);

        // The node subscribed, NATS has not answered: bound, alive, but not ready, and start() waits.
        HttpResponse<String> held = await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .failFast("start() failed", started::isCompletedExceptionally)
                .until(() -> readyzOrNull(port), r -> r != null && r.statusCode() == 503);
        assertThat(proxy.triggered()).isTrue();
        assertThat(held.body()).contains("cluster subscriptions pending");
        assertThat(started).isNotDone();

        proxy.release();
        SockeyeApplication app = started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        HttpResponse<String> ready = readyz(port);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"reasons\":[]");

        // Another node's broadcast, published only now, reaches a client of this node.
        Socket client = RoomsHarness.connected(IO.socket(URI.create(app.url()), RoomsHarness.websocketOptions()));
        opened.add(client::close);
        CompletableFuture<Object> news = new CompletableFuture<>();
        client.on("news", args -> news.complete(args[0]));
        NatsAdapterFactory otherBus = NatsAdapterFactory.connect("nats://127.0.0.1:" + nats,
                NatsAdapterOptions.defaults());
        opened.add(otherBus);
        SocketIoServer other = SocketIoServer.create(ServerOptions.builder().adapterFactory(otherBus).build());
        opened.add(other::close);
        other.emit("news", "from the other node");
        assertThat(news.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("from the other node");
    }

    @Test
    void redisNodeReturnsFromStartWithTheNamespaceSubscribedAndReady() throws Exception {
        int redis = server("Ready to accept connections", "redis-server", "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--port");
        SockeyeApplication app = adopt(SockeyeApplication.start(ConfigLoader.load(new String[] {"--host",
                "127.0.0.1", "--port", "0", "--warmup=false", "--redis-url", "redis://127.0.0.1:" + redis})));

        // Read once, right after start(): no waiting for the subscription.
        try (ChildProcess cli = ChildProcess.command("redis-cli", "-p", String.valueOf(redis), "PUBSUB", "NUMSUB",
                "socket.io-request#/#").name("redis-cli-numsub").start()) {
            assertThat(cli.awaitExit(WAIT)).as(cli.tail()).isZero();
            assertThat(cli.lines()).containsExactly("socket.io-request#/#", "1");
        }
        HttpResponse<String> ready = readyz(app.port());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    private SockeyeApplication adopt(SockeyeApplication app) {
        opened.add(app);
        return app;
    }

    /** Starts {@code command} with a free port as its last argument; returns the port. */
    private int server(String readyLine, String... command) {
        int port = FreePorts.next();
        List<String> all = new ArrayList<>(List.of(command));
        all.add(String.valueOf(port));
        ChildProcess process = ChildProcess.command(all).name(command[0] + "-" + port).start();
        opened.add(process);
        process.awaitLine(readyLine, WAIT);
        return port;
    }

    private HttpResponse<String> readyzOrNull(int port) {
        try {
            return readyz(port);
        } catch (Exception e) {
            return null; // not listening yet
        }
    }

    private HttpResponse<String> readyz(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(WAIT)
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
