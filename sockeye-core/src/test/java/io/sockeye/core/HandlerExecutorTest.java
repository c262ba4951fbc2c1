package io.sockeye.core;

import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ServerOptions#handlerExecutor()}: handlers off the event loop, still in order per socket. */
class HandlerExecutorTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "test-handler");
        t.setDaemon(true);
        return t;
    });
    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
        pool.shutdownNow();
    }

    @Test
    void handlersRunOnTheExecutorInOrderPerSocket() {
        harness = new SocketIoHarness(b -> b.handlerExecutor(pool));
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        harness.io.on("connection", socket -> {
            threads.add(Thread.currentThread().getName());
            socket.on("n", (args, ack) -> {
                threads.add(Thread.currentThread().getName());
                seen.add(args.as(0, Integer.class));
                ack.send(args.get(0));
            });
        });
        InMemoryEngineSocket session = harness.connect("/");
        for (int i = 0; i < 200; i++) {
            session.receive("2" + i + "[\"n\"," + i + "]");
        }
        for (int i = 0; i < 200; i++) {
            assertThat(session.nextText()).isEqualTo("3" + i + "[" + i + "]");
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(threads).allMatch(name -> name.equals("test-handler"));
    }

    @Test
    void blockingHandlerDoesNotStallOtherSocketsOnTheSameLoop() throws Exception {
        harness = new SocketIoHarness(b -> b.handlerExecutor(pool));
        CountDownLatch release = new CountDownLatch(1);
        harness.io.on("connection", socket -> {
            socket.on("block", (args, ack) -> {
                release.await(30, TimeUnit.SECONDS);
                ack.send("unblocked");
            });
            socket.on("ping", (args, ack) -> ack.send("pong"));
        });
        EventExecutor loop = harness.loop();
        InMemoryEngineSocket blocked = harness.open(loop);
        SocketIoHarness.connect(blocked, "/");
        InMemoryEngineSocket other = harness.open(loop);
        SocketIoHarness.connect(other, "/");

        blocked.receive("21[\"block\"]");
        other.receive("22[\"ping\"]");
        assertThat(other.nextText()).isEqualTo("32[\"pong\"]");
        release.countDown();
        assertThat(blocked.nextText()).isEqualTo("31[\"unblocked\"]");
    }

    @Test
    void connectionHandlerRunsBeforeTheFirstEvent() throws Exception {
        harness = new SocketIoHarness(b -> b.handlerExecutor(pool));
        CountDownLatch eventArrived = new CountDownLatch(1);
        harness.io.on("connection", socket -> {
            try {
                // a slow connection handler: the event that arrives meanwhile must wait for it, not be lost
                eventArrived.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.on("hello", (args, ack) -> ack.send("hi"));
        });
        InMemoryEngineSocket session = harness.open();
        session.receive("0");
        session.receive("21[\"hello\"]");
        session.settle(); // the event loop has taken the event and queued its dispatch
        eventArrived.countDown();
        assertThat(session.nextText()).startsWith("0{\"sid\":");
        assertThat(session.nextText()).isEqualTo("31[\"hi\"]");
    }

    @Test
    void middlewaresAndDisconnectingListenersRunOnTheExecutorWithRoomsIntact() {
        harness = new SocketIoHarness(b -> b.handlerExecutor(pool));
        CompletableFuture<String> middlewareThread = new CompletableFuture<>();
        CompletableFuture<Set<String>> rooms = new CompletableFuture<>();
        CompletableFuture<String> reason = new CompletableFuture<>();
        harness.io.use((socket, next) -> {
            middlewareThread.complete(Thread.currentThread().getName());
            next.proceed();
        });
        harness.io.on("connection", socket -> {
            socket.join("lobby");
            socket.onDisconnecting(r -> rooms.complete(socket.rooms()));
            socket.onDisconnect(reason::complete);
        });
        InMemoryEngineSocket session = harness.connect("/");
        session.receive("1");
        assertThat(middlewareThread.join()).isEqualTo("test-handler");
        assertThat(rooms.join()).contains("lobby");
        assertThat(reason.join()).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    }

    @Test
    void emitWithAckCompletesOnTheExecutor() {
        harness = new SocketIoHarness(b -> b.handlerExecutor(pool));
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        harness.io.on("connection", connected::complete);
        InMemoryEngineSocket session = harness.connect("/");
        CompletableFuture<String> thread = connected.join().emitWithAck("q")
                .thenApply(args -> Thread.currentThread().getName());
        assertThat(session.nextText()).isEqualTo("20[\"q\"]");
        session.receive("30[]");
        assertThat(thread.join()).isEqualTo("test-handler");
    }
}
