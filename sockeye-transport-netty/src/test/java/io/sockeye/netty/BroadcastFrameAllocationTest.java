package io.sockeye.netty;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private SocketIoServer io;
    private NettyFrontend front;
    private RawClients clients;

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
        clients = new RawClients(front.port());
    }

    @AfterEach
    void stop() {
        clients.close();
        front.close();
    }

    @Test
    void broadcastsQueuedInOneFlushAreFramedOncePerEventLoop() throws Exception {
        List<RawClients.Ws> recipients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recipients.add(clients.jsonWebsocket());
        }
        int before = framesMade.count();

        recipients.get(0).send("42[\"burst\"]");

        for (RawClients.Ws client : recipients) {
            assertThat(news(client, BROADCASTS)).containsExactly(expected(0), expected(1), expected(2));
        }
        assertThat(framesMade.count() - before).as("frames made for %d broadcasts to %d recipients", BROADCASTS,
                recipients.size()).isEqualTo(BROADCASTS);
    }

    @Test
    void pollingAndWebSocketRecipientsOfOneLoopGetTheSameBroadcasts() throws Exception {
        RawClients.Ws ws1 = clients.jsonWebsocket();
        RawClients.Ws ws2 = clients.jsonWebsocket();
        RawClients.Polling polling = pollingClient();
        CompletableFuture<String> poll = polling.poll();
        int before = framesMade.count();

        ws1.send("42[\"burst\"]");

        assertThat(news(ws1, BROADCASTS)).containsExactly(expected(0), expected(1), expected(2));
        assertThat(news(ws2, BROADCASTS)).containsExactly(expected(0), expected(1), expected(2));
        assertThat(poll.get(30, TimeUnit.SECONDS)).isEqualTo(expected(0) + "\u001e" + expected(1) + "\u001e" + expected(2));
        assertThat(framesMade.count() - before).isEqualTo(BROADCASTS);
    }

    @Test
    void aRecipientThatDisconnectsDuringTheBroadcastsLeaksNothing() throws Exception {
        RawClients.Ws sender = clients.jsonWebsocket();
        RawClients.Ws stays = clients.jsonWebsocket();
        List<RawClients.Ws> leaving = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leaving.add(clients.jsonWebsocket());
        }

        // They drop their connections while the broadcasts are under way: each session closes with
        // whatever it had queued, before or after its flush.
        sender.send("42[\"burst\"]");
        leaving.forEach(c -> c.socket.abort());
        sender.send("42[\"burst\"]");

        assertThat(news(stays, 2 * BROADCASTS)).hasSize(2 * BROADCASTS);
        assertThat(news(sender, 2 * BROADCASTS)).hasSize(2 * BROADCASTS);
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> io.engine().clientsCount() == 2);
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

    /** A Socket.IO client on long-polling, connected to the main namespace. */
    private RawClients.Polling pollingClient() throws Exception {
        RawClients.Polling client = clients.polling();
        client.send("40");
        assertThat(client.poll().get(30, TimeUnit.SECONDS)).startsWith("40{");
        return client;
    }

    private static List<String> news(RawClients.Ws client, int count) throws InterruptedException {
        return client.next(count, message -> message.startsWith("42[\"news\""));
    }
}
