package io.sockeye.core.engine;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketChannel;
import io.sockeye.core.spi.transport.WebSocketInbound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.sockeye.core.engine.EngineSessionTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When a broadcast's recipients get their bytes: a broadcast alone on its event loop flushes each
 * WebSocket recipient as it is written, so the first recipients do not wait until the last is queued;
 * broadcasts that share a batch still share each recipient's flush. Every connection is on one real event
 * loop; the sockets log each packet handed to their session, and the channels their writes and flushes, in one
 * list, in the loop's order.
 */
class BroadcastFlushTest {

    private static final String NEWS = "42[\"news\"";

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void handlers() {
        io.on("connection", socket -> {
            socket.join("room");
            // The moment the broadcast hands the packet to this recipient's session.
            socket.onAnyOutgoing((event, args) -> log.add("queued " + event));
            socket.on("one", (args, ack) -> io.to("room").emit("news", "a"));
            // Three broadcasts in one event-loop task: under load, what arrives together.
            socket.on("burst", (args, ack) -> {
                for (String word : List.of("a", "b", "c")) {
                    io.to("room").emit("news", word);
                }
            });
        });
    }

    @AfterEach
    void close() {
        io.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBroadcastAloneOnItsLoopFlushesTheFirstRecipientBeforeTheLastIsQueued() {
        List<Peer> peers = peers(4);

        peers.get(0).inbound.onText("42[\"one\"]");

        await().atMost(Duration.ofSeconds(30)).until(() -> peers.stream().allMatch(p -> p.news().size() == 1));
        List<String> events = newsEvents();
        assertThat(indexOf(events, "flush")).as("the first recipient's flush, in %s", events)
                .isLessThan(lastIndexOf(events, "queued"));
        assertThat(events).as("each recipient queued, written and flushed before the next is queued").hasSize(12);
        for (int i = 0; i < events.size(); i += 3) {
            String peer = events.get(i + 1).split(" ")[1];
            assertThat(events.subList(i, i + 3)).containsExactly("queued news", events.get(i + 1), "flush " + peer + " news");
            assertThat(events.get(i + 1)).startsWith("write " + peer + " " + NEWS);
        }
    }

    @Test
    void broadcastsThatShareABatchShareEachRecipientsFlush() {
        List<Peer> peers = peers(3);

        peers.get(0).inbound.onText("42[\"burst\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> peers.stream().allMatch(p -> p.news().size() == 3));
        log.clear();
        // The loop's last batch held three broadcasts: the next ones wait for the batch, all of them.
        peers.get(1).inbound.onText("42[\"burst\"]");

        await().atMost(Duration.ofSeconds(30)).until(() -> peers.stream().allMatch(p -> p.news().size() == 6));
        List<String> events = newsEvents();
        assertThat(lastIndexOf(events, "queued")).as("every recipient queued before the first flush, in %s", events)
                .isLessThan(indexOf(events, "flush"));
        assertThat(events.stream().filter(e -> e.startsWith("flush"))).as("one flush per recipient").hasSize(3);
        for (Peer peer : peers) {
            assertThat(peer.flushes).as("each flush carried the three broadcasts").contains(List.of(
                    "42[\"news\",\"a\"]", "42[\"news\",\"b\"]", "42[\"news\",\"c\"]"));
        }
    }

    private List<Peer> peers(int n) {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new Peer("p" + i));
        }
        log.clear();
        return peers;
    }

    // The log's news handed to sessions, written and flushed, in order.
    private List<String> newsEvents() {
        return log.stream().filter(e -> e.startsWith("write") ? e.contains(NEWS) : e.endsWith("news")).toList();
    }

    private static int indexOf(List<String> events, String kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(kind)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " in " + events);
    }

    private static int lastIndexOf(List<String> events, String kind) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).startsWith(kind)) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " in " + events);
    }

    /** A client on WebSocket, connected to the main namespace, through a channel that logs. */
    private final class Peer implements WebSocketChannel {
        final String name;
        final WebSocketInbound inbound;
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<List<String>> flushes = new CopyOnWriteArrayList<>();
        private final List<String> pending = new ArrayList<>();

        Peer(String name) {
            this.name = name;
            inbound = loop.submit(() -> io.engine().openWebSocket(request("GET", "EIO=4&transport=websocket"), this,
                    SessionIds.next())).syncUninterruptibly().getNow();
            inbound.onText("40");
            await().atMost(Duration.ofSeconds(30)).until(() -> frames.stream().anyMatch(f -> f.startsWith("40{")));
        }

        List<String> news() {
            return frames.stream().filter(f -> f.startsWith(NEWS)).toList();
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public void writeText(OutboundPacket packet) {
            String text = new String(packet.utf8(), StandardCharsets.UTF_8);
            log.add("write " + name + " " + text);
            pending.add(text);
        }

        @Override
        public void writeBinary(OutboundPacket packet) {
            pending.add("binary");
        }

        @Override
        public void flush() {
            if (pending.isEmpty()) {
                return;
            }
            boolean news = pending.stream().anyMatch(f -> f.startsWith(NEWS));
            log.add("flush " + name + (news ? " news" : ""));
            flushes.add(List.copyOf(pending));
            frames.addAll(pending);
            pending.clear();
        }

        @Override
        public void close() {
            pending.clear();
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }
    }
}
