package io.sockeye.core.engine;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.core.spi.transport.WebSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One flush task per event loop: a session whose flush fails must not hold back the others of its batch. */
class FlushBatchTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final Map<String, String> closeReasons = new ConcurrentHashMap<>();
    private final List<EngineSocket> sessions = new CopyOnWriteArrayList<>();
    private final EngineEndpoint server = EngineIo.endpoint(ServerOptions.defaults(), s -> {
        sessions.add(s);
        s.setListener(new CloseRecorder(reason -> closeReasons.put(s.id(), reason)));
    }, new ManualTimer());

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anErrorWhileFlushingOneSessionClosesItAndTheOtherSessionsOfTheBatchStillFlush() throws Exception {
        LoopChannel failing = new LoopChannel(true);
        LoopChannel first = new LoopChannel(false);
        LoopChannel second = new LoopChannel(false);
        // Opened in one task: their open packets are flushed by one batch, the failing session's first.
        loop.submit(() -> {
            for (LoopChannel channel : List.of(failing, first, second)) {
                server.openWebSocket(EngineSessionTest.request("GET", "EIO=4&transport=websocket"), channel,
                        SessionIds.next());
            }
        }).get(30, TimeUnit.SECONDS);

        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> first.frames.size() == 1 && second.frames.size() == 1);
        assertThat(first.frames.get(0)).startsWith("0{\"sid\":");
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> closeReasons.size() == 1);
        assertThat(closeReasons.values()).containsExactly("transport error");
        assertThat(failing.closed).isTrue();

        // The batch is usable again: later packets of the surviving sessions are flushed too.
        loop.submit(() -> sessions.forEach(s -> s.send("again", List.of()))).get(30, TimeUnit.SECONDS);
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> first.frames.size() == 2 && second.frames.size() == 2);
        assertThat(second.frames.get(1)).isEqualTo("4again");
    }

    /** A WebSocket on the test's event loop; a failing one throws an Error as a full heap would. */
    private final class LoopChannel implements WebSocketChannel {
        final List<String> frames = new CopyOnWriteArrayList<>();
        private final List<String> queued = new CopyOnWriteArrayList<>();
        private final boolean failing;
        volatile boolean closed;

        LoopChannel(boolean failing) {
            this.failing = failing;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public void writeText(OutboundPacket packet) {
            queued.add(new String(packet.utf8(), StandardCharsets.UTF_8));
        }

        @Override
        public void writeBinary(OutboundPacket packet) {
            queued.add("binary");
        }

        @Override
        public void flush() {
            if (failing) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
            frames.addAll(queued);
            queued.clear();
        }

        @Override
        public void close() {
            closed = true;
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
