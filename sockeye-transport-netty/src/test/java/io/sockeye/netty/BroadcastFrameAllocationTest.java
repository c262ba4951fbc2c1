package io.sockeye.netty;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One event loop, real clients: several broadcasts emitted in one handler wait in the same flush of
 * every recipient, and each is framed once for all of them — one direct buffer per broadcast, not
 * one per recipient per broadcast. Long-polling recipients on the same loop get the same broadcasts;
 * a recipient that goes away during the broadcasts costs nothing and leaks nothing (Netty's leak
 * detector runs at paranoid in tests and fails the class on a leak).
 */
class BroadcastFrameAllocationTest {

    private static final int BROADCASTS = 3;
    // Every broadcast's frame has this exact size: a direct buffer of it is one frame made.
    private static final int PAYLOAD_CHARS = 301;

    private final int frameBytes = frameBytes();
    private final CountingAllocator framesMade = new CountingAllocator(size -> size == frameBytes);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    private SocketIoServer io;
    private NettyFrontend front;

    @BeforeEach
    void start() {
        io = SocketIoServer.create(ServerOptions.defaults());
        io.on("connection", socket -> {
            socket.join("room");
            socket.on("burst", (args, ack) -> {
                for (int i = 0; i < BROADCASTS; i++) {
                    io.to("room").emit("news", payload(i));
                }
            });
        });
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1).allocator(framesMade)
                .httpCompression(false).attach(io).build().start();
    }

    @AfterEach
    void stop() {
        sockets.forEach(WebSocket::abort);
        front.close();
    }

    @Test
    void broadcastsQueuedInOneFlushAreFramedOncePerEventLoop() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(new WsClient());
        }
        int before = framesMade.count();

        clients.get(0).send("42[\"burst\"]");

        for (WsClient client : clients) {
            assertThat(client.news()).containsExactly(expected(0), expected(1), expected(2));
        }
        assertThat(framesMade.count() - before).as("frames made for %d broadcasts to %d recipients", BROADCASTS,
                clients.size()).isEqualTo(BROADCASTS);
    }

    @Test
    void pollingAndWebSocketRecipientsOfOneLoopGetTheSameBroadcasts() throws Exception {
        WsClient ws1 = new WsClient();
        WsClient ws2 = new WsClient();
        PollingClient polling = new PollingClient();
        CompletableFuture<String> poll = polling.poll();
        int before = framesMade.count();

        ws1.send("42[\"burst\"]");

        assertThat(ws1.news()).containsExactly(expected(0), expected(1), expected(2));
        assertThat(ws2.news()).containsExactly(expected(0), expected(1), expected(2));
        assertThat(poll.get(10, TimeUnit.SECONDS)).isEqualTo(expected(0) + "\u001e" + expected(1) + "\u001e" + expected(2));
        assertThat(framesMade.count() - before).isEqualTo(BROADCASTS);
    }

    @Test
    void aRecipientThatDisconnectsDuringTheBroadcastsLeaksNothing() throws Exception {
        WsClient sender = new WsClient();
        WsClient stays = new WsClient();
        List<WsClient> leaving = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leaving.add(new WsClient());
        }

        // They drop their connections while the broadcasts are under way: each session closes with
        // whatever it had queued, before or after its flush.
        sender.send("42[\"burst\"]");
        leaving.forEach(c -> c.socket.abort());
        sender.send("42[\"burst\"]");

        assertThat(stays.news(2 * BROADCASTS)).hasSize(2 * BROADCASTS);
        assertThat(sender.news(2 * BROADCASTS)).hasSize(2 * BROADCASTS);
        await().until(() -> io.engine().clientsCount() == 2);
    }

    private static String payload(int i) {
        return String.valueOf((char) ('a' + i)).repeat(PAYLOAD_CHARS);
    }

    private static String expected(int i) {
        return "42[\"news\",\"" + payload(i) + "\"]";
    }

    // The RFC 6455 frame of one broadcast: a 4-byte header (126 < length <= 65535) and the message.
    private static int frameBytes() {
        int length = expected(0).getBytes(StandardCharsets.UTF_8).length;
        assertThat(length).isBetween(126, 65_535);
        return 4 + length;
    }

    private URI uri(String scheme, String query) {
        return URI.create(scheme + "://127.0.0.1:" + front.port() + "/socket.io/?EIO=4&" + query);
    }

    /** A Socket.IO client on WebSocket, connected to the main namespace. */
    private final class WsClient implements WebSocket.Listener {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        final WebSocket socket;

        WsClient() throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(uri("ws", "transport=websocket"), this).get(10, TimeUnit.SECONDS);
            sockets.add(socket);
            assertThat(next()).startsWith("0{");
            send("40");
            assertThat(next()).startsWith("40{");
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }

        List<String> news() throws InterruptedException {
            return news(BROADCASTS);
        }

        List<String> news(int count) throws InterruptedException {
            List<String> news = new ArrayList<>();
            while (news.size() < count) {
                String message = next();
                if (message.startsWith("42[\"news\"")) {
                    news.add(message);
                }
            }
            return news;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** A Socket.IO client on long-polling, connected to the main namespace. */
    private final class PollingClient {
        private final String sid;

        PollingClient() throws Exception {
            String open = get(uri("http", "transport=polling")).get(10, TimeUnit.SECONDS);
            sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
            HttpRequest post = HttpRequest.newBuilder(uri("http", "transport=polling&sid=" + sid))
                    .POST(HttpRequest.BodyPublishers.ofString("40")).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
            assertThat(poll().get(10, TimeUnit.SECONDS)).startsWith("40{");
        }

        CompletableFuture<String> poll() {
            return get(uri("http", "transport=polling&sid=" + sid));
        }

        private CompletableFuture<String> get(URI uri) {
            return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
        }
    }
}
