package io.sockeye.netty;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.ConnectionStats.Reset;
import io.sockeye.testkit.RawWebSocket;
import io.sockeye.testkit.TcpTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading (a raw socket with a tiny receive buffer that never reads) while the server
 * publishes to its room: past the limit its connection is cut off — the socket really gone, not waiting
 * behind megabytes for a close the client will never read — the other clients keep receiving, and the
 * direct memory it pinned comes back. A close the client does not take is cut off after the close deadline.
 */
class SlowConsumerTest {

    private static final int MAX_BUFFERED = 256 * 1024;
    private static final String MESSAGE = "x".repeat(64 * 1024);
    private static final int MESSAGES = 200; // 12.8 MB: more than the kernel's send buffer and the limit together
    /** Messages the reader may have outstanding: 128 KiB, half the limit. */
    private static final int READER_WINDOW = 2;

    private final UnpooledByteBufAllocator direct = new UnpooledByteBufAllocator(true);
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final List<RawWebSocket> clients = new CopyOnWriteArrayList<>();
    private NettyFrontend front;
    private SocketIoServer io;

    private void start(long maxBufferedBytes, Duration closeTimeout) {
        io = SocketIoServer.create(ServerOptions.builder().maxBufferedBytes(maxBufferedBytes).build());
        io.on("connection", socket -> {
            socket.join("room");
            socket.on("name", (args, ack) -> {
                sockets.put(args.getString(0), socket);
                ack.send();
            });
        });
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1).httpCompression(false)
                .allocator(direct).closeTimeout(closeTimeout).attach(io).build().start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawWebSocket::close);
        front.close();
    }

    /** A connected Socket.IO client from {@code address}, known to the server as {@code name}. */
    private RawWebSocket client(String address, String name, int receiveBuffer) {
        RawWebSocket ws = RawWebSocket.open(address, server(), "/socket.io/?EIO=4&transport=websocket", receiveBuffer);
        clients.add(ws);
        ws.await(m -> m.startsWith("0{"), Duration.ofSeconds(30));
        ws.send("40");
        ws.await(m -> m.startsWith("40{"), Duration.ofSeconds(30));
        ws.send("421[\"name\",\"" + name + "\"]");
        ws.await(m -> m.equals("431[]"), Duration.ofSeconds(30));
        return ws;
    }

    private InetSocketAddress server() {
        return new InetSocketAddress("127.0.0.1", front.port());
    }

    private String serverSideState(RawWebSocket client) {
        return TcpTable.state(server(), client.localAddress());
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndReleasedWhileOthersKeepReceiving() {
        assumeThat(TcpTable.available()).as("/proc/net/tcp").isTrue();
        start(MAX_BUFFERED, Duration.ofSeconds(30));
        RawWebSocket stalled = client("127.0.0.2", "stalled", 4096); // and never reads again
        RawWebSocket reader = client("127.0.0.3", "reader", 0);
        AtomicInteger received = new AtomicInteger();
        reader.readInBackground(m -> {
            if (m.startsWith("42[\"news\"")) {
                received.incrementAndGet();
            }
        });
        long baseline = direct.metric().usedDirectMemory();

        for (int i = 0; i < MESSAGES; i++) {
            // Paced by the reader, which a loaded machine may not schedule for a while: it must never have more
            // than the limit waiting at the server, or it would be cut off as a slow consumer too.
            int sent = i;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                    .until(() -> received.get() >= sent - READER_WINDOW);
            io.to("room").emit("news", MESSAGE);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(serverSideState(stalled)).isNotEqualTo("ESTABLISHED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> front.connectionStats().open() == 1);
        assertThat(front.connectionStats().reset(Reset.SLOW_CONSUMER)).isEqualTo(1);
        // A deadline, not a timing: on a loaded machine the reader takes its megabytes slowly.
        await().atMost(Duration.ofMinutes(1)).until(() -> received.get() == MESSAGES);
        // What the stalled client pinned (shares of every frame it had not taken) is freed with its socket.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(direct.metric().usedDirectMemory())
                .isLessThanOrEqualTo(baseline + MESSAGE.length()));
    }

    @Test
    void aCloseThatAClientDoesNotReadIsCutOffAfterTheCloseDeadline() {
        assumeThat(TcpTable.available()).as("/proc/net/tcp").isTrue();
        start(64L * 1024 * 1024, Duration.ofMillis(300));
        RawWebSocket stalled = client("127.0.0.2", "stalled", 4096);
        for (int i = 0; i < MESSAGES / 2; i++) { // behind what the kernel holds, but under the limit
            io.to("room").emit("news", MESSAGE);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> io.engine().clientsCount() == 1 && sockets.get("stalled").connected());

        sockets.get("stalled").disconnect(true); // its close frame waits behind megabytes it will never read

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(serverSideState(stalled)).isNotEqualTo("ESTABLISHED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> front.connectionStats().open() == 0);
        assertThat(front.connectionStats().reset(Reset.CLOSE_TIMEOUT)).isEqualTo(1);
    }
}
