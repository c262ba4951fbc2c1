package io.sockeye.server.gateway.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.HashedWheelTimer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.gateway.GatewaySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's HTTP/1.1 client on event loops, against a real Netty backend that counts the connections it
 * accepts: keep-alive reuse, the pool bound, backends closing or resetting connections, answers past the
 * limit, the idle timeout and TLS. Every buffer is tracked (paranoid leak detection fails the class).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BackendConnectionsTest {

    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);
    private final ExecutorService resolver = Executors.newSingleThreadExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timer.stop();
        resolver.shutdownNow();
    }

    private NettyTestBackend backend(SslContext tls) {
        NettyTestBackend b = new NettyTestBackend(tls);
        closing.add(b);
        return b;
    }

    private BackendConnections connections(int maxPerLoop, Duration idle, SslContext tls) {
        BackendConnections c = new BackendConnections(() -> new Bootstrap().group(loops).channel(NioSocketChannel.class),
                tls, timer, resolver, new GatewaySettings.Pool(maxPerLoop, idle), 1024);
        closing.add(0, c);
        return c;
    }

    private BackendConnections connections() {
        return connections(16, Duration.ofMinutes(1), null);
    }

    private ProxyClient client(ProxyKind kind, String url, BackendConnections http) {
        return new ProxyClient(kind, ProxySettings.of(URI.create(url)).withTimeout(Duration.ofSeconds(30)), 0, http, timer,
                GatewayMetrics.register(new PrometheusRegistry()));
    }

    private static CompletableFuture<Map<String, Object>> call(ProxyClient client) {
        return client.call(Map.of("method", "m"), "client-1", "alice", Map.of(), answer -> answer);
    }

    private static Object result(ProxyClient client) throws Exception {
        return call(client).get(30, TimeUnit.SECONDS).get("result");
    }

    private static ProxyFailure.Reason failure(CompletableFuture<?> call) throws Exception {
        try {
            call.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((ProxyFailure) e.getCause()).reason();
        }
        throw new AssertionError("the call succeeded");
    }

    private static BackendAddress.Origin origin(String url) {
        return BackendAddress.of(URI.create(url)).origin();
    }

    @Test
    void callsInTurnShareOneKeptAliveConnection() throws Exception {
        NettyTestBackend backend = backend(null);
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/ok"), connections());
        for (int i = 1; i <= 20; i++) {
            assertThat(result(rpc)).isEqualTo(i); // the backend numbers the calls of each connection
        }
        assertThat(backend.accepted).hasValue(1);
    }

    @Test
    void callsMadeOnAnEventLoopAreWrittenAndAnsweredOnIt() throws Exception {
        NettyTestBackend backend = backend(null);
        EventLoopGroup two = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            BackendConnections http = new BackendConnections(() -> new Bootstrap().group(two).channel(NioSocketChannel.class),
                    null, timer, resolver, new GatewaySettings.Pool(16, Duration.ofMinutes(1)), 1024);
            closing.add(0, http);
            ProxyClient rpc = client(ProxyKind.RPC, backend.url("/ok"), http);
            List<EventLoop> both = new ArrayList<>();
            two.forEach(e -> both.add((EventLoop) e));
            EventLoop caller = both.get(1); // not the first: calls from elsewhere start with the first loop
            Thread callerThread = caller.submit(Thread::currentThread).get(30, TimeUnit.SECONDS);
            for (int i = 1; i <= 4; i++) {
                AtomicReference<Thread> answeredOn = new AtomicReference<>();
                // Registered on the loop, before its answer can be read there: the callback runs where it completes.
                CompletableFuture<Map<String, Object>> answer = caller.submit(() -> call(rpc)
                        .whenComplete((a, e) -> answeredOn.set(Thread.currentThread()))).get(30, TimeUnit.SECONDS);
                assertThat(answer.get(30, TimeUnit.SECONDS)).containsEntry("result", i);
                assertThat(answeredOn.get()).as("call %d answered on the caller's loop", i).isSameAs(callerThread);
            }
            assertThat(backend.accepted).as("one connection, the caller loop's").hasValue(1);
        } finally {
            two.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void callsPastThePoolSizeWaitForAFreeConnection() throws Exception {
        NettyTestBackend backend = backend(null);
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/slow"), connections(2, Duration.ofMinutes(1), null));
        List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(call(rpc));
        }
        for (CompletableFuture<Map<String, Object>> c : calls) {
            assertThat(c.get(30, TimeUnit.SECONDS)).containsKey("result");
        }
        assertThat(backend.accepted.get()).isBetween(1, 2);
    }

    @Test
    void aConnectionTheBackendClosedWhileIdleIsNotUsedAgain() throws Exception {
        NettyTestBackend backend = backend(null);
        BackendConnections http = connections();
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/ok"), http);
        assertThat(result(rpc)).isEqualTo(1);
        backend.connections.close().sync();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.open(origin(backend.url("/ok"))) == 0);
        assertThat(result(rpc)).as("a fresh connection's first call").isEqualTo(1);
        assertThat(backend.accepted).hasValue(2);
    }

    @Test
    void anIdempotentCallWhoseKeptAliveConnectionDiesUnansweredIsSentOnceMoreOnAFreshOne() throws Exception {
        NettyTestBackend backend = backend(null);
        ProxyClient subscribe = client(ProxyKind.SUBSCRIBE, backend.url("/drop-reused"), connections());
        assertThat(result(subscribe)).isEqualTo(1);
        // The second call goes on the kept-alive connection, which the backend closes without an answer.
        assertThat(result(subscribe)).as("answered on a fresh connection, with no retry configured").isEqualTo(1);
        assertThat(backend.count("/drop-reused")).isEqualTo(3);
        assertThat(backend.accepted).hasValue(2);
    }

    @Test
    void anRpcWhoseKeptAliveConnectionDiesAfterItWasWrittenIsNotSentAgain() throws Exception {
        NettyTestBackend backend = backend(null);
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/drop-reused"), connections());
        assertThat(result(rpc)).isEqualTo(1);
        assertThat(failure(call(rpc))).isEqualTo(ProxyFailure.Reason.CONNECT);
        assertThat(backend.count("/drop-reused")).as("the backend may have run it: never twice").isEqualTo(2);
        assertThat(backend.accepted).hasValue(1);
    }

    @Test
    void aBackendResettingInTheMiddleOfTheAnswerIsAConnectionFailure() throws Exception {
        NettyTestBackend backend = backend(null);
        BackendConnections http = connections();
        assertThat(failure(call(client(ProxyKind.RPC, backend.url("/reset"), http)))).isEqualTo(ProxyFailure.Reason.CONNECT);
        assertThat(backend.count("/reset")).isEqualTo(1);
        assertThat(result(client(ProxyKind.RPC, backend.url("/ok"), http))).as("the next call, on a new connection").isEqualTo(1);
    }

    @Test
    void anAnswerPastTheLimitIsRefusedAndItsConnectionClosed() throws Exception {
        NettyTestBackend backend = backend(null);
        BackendConnections http = connections();
        assertThat(failure(call(client(ProxyKind.RPC, backend.url("/huge-declared"), http)))).isEqualTo(ProxyFailure.Reason.TOO_LARGE);
        assertThat(failure(call(client(ProxyKind.RPC, backend.url("/huge-chunked"), http)))).isEqualTo(ProxyFailure.Reason.TOO_LARGE);
        assertThat(result(client(ProxyKind.RPC, backend.url("/ok"), http))).isEqualTo(1);
        assertThat(backend.accepted).hasValue(3);
    }

    @Test
    void aCallPastItsTimeoutClosesItsConnection() throws Exception {
        NettyTestBackend backend = backend(null);
        BackendConnections http = connections();
        ProxyClient hang = new ProxyClient(ProxyKind.RPC, ProxySettings.of(URI.create(backend.url("/hang")))
                .withTimeout(Duration.ofMillis(200)), 0, http, timer, GatewayMetrics.register(new PrometheusRegistry()));
        assertThat(failure(call(hang))).isEqualTo(ProxyFailure.Reason.TIMEOUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.open(origin(backend.url("/hang"))) == 0);
        assertThat(result(client(ProxyKind.RPC, backend.url("/ok"), http))).isEqualTo(1);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        NettyTestBackend backend = backend(null);
        BackendConnections http = connections(16, Duration.ofMillis(200), null);
        assertThat(result(client(ProxyKind.RPC, backend.url("/ok"), http))).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.open(origin(backend.url("/ok"))) == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.connections.isEmpty());
    }

    @Test
    void anHttpsBackendIsCalledOverTlsOnKeptAliveConnections() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        NettyTestBackend backend = backend(SslContextBuilder.forServer(cert.key(), cert.cert()).sslProvider(SslProvider.JDK).build());
        SslContext trusting = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS").trustManager(cert.cert()).build();
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/ok"), connections(16, Duration.ofMinutes(1), trusting));
        assertThat(result(rpc)).isEqualTo(1);
        assertThat(result(rpc)).isEqualTo(2);
        assertThat(backend.accepted).hasValue(1);
    }

    @Test
    void anHttpsBackendWithAnUntrustedCertificateIsAConnectionFailure() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        NettyTestBackend backend = backend(SslContextBuilder.forServer(cert.key(), cert.cert()).sslProvider(SslProvider.JDK).build());
        ProxyClient rpc = client(ProxyKind.RPC, backend.url("/ok"),
                connections(16, Duration.ofMinutes(1), BackendConnections.defaultTls()));
        assertThat(failure(call(rpc))).isEqualTo(ProxyFailure.Reason.CONNECT);
        assertThat(backend.requests).isEmpty();
    }
}
