package io.sockeye.netty;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.TrustedProxies;
import io.sockeye.netty.ConnectionStats.Refusal;
import io.sockeye.testkit.RawHttpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TCP connections are counted when accepted, before any HTTP: one address cannot take more than its cap,
 * the node cannot take more than its cap, and past it a small reserve still answers health checks — so a
 * liveness probe keeps its answer while clients hold every other connection. Real sockets from 127.0.0.x.
 */
class AcceptLimitsTest {

    private final List<RawHttpConnection> connections = new ArrayList<>();
    private NettyFrontend front;

    private NettyFrontend start(NettyFrontend.Builder builder) {
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        front = builder.host("127.0.0.1").port(0).threads(1).fallback(ConnectionDeadlinesTest::hello)
                .attach(io).build().start();
        return front;
    }

    @AfterEach
    void stop() {
        connections.forEach(RawHttpConnection::close);
        front.close();
    }

    /** A connection from {@code address} that was served a request (so it was surely accepted). */
    private RawHttpConnection served(String address) {
        RawHttpConnection c = connect(address);
        c.get("/hello");
        assertThat(c.readResponse()).startsWith("HTTP/1.1 200");
        return c;
    }

    private RawHttpConnection connect(String address) {
        RawHttpConnection c = new RawHttpConnection(address, front.port());
        connections.add(c);
        return c;
    }

    private void assertRefused(String address) {
        assertThat(RawHttpConnection.answerOfNewConnection(address, front.port(), "/hello"))
                .as("answer of a refused connection").isEmpty();
    }

    @Test
    void anAddressAtItsCapIsRefusedTheNextConnectionWhileAnotherAddressConnects() {
        start(NettyFrontend.builder().maxConnectionsPerAddress(2));
        RawHttpConnection first = served("127.0.0.2");
        served("127.0.0.2");

        assertRefused("127.0.0.2");
        served("127.0.0.3");
        assertThat(front.connectionStats().refused(Refusal.PER_ADDRESS)).isEqualTo(1);

        first.close(); // its slot comes back once its socket is gone
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> front.connectionStats().open() == 2);
        served("127.0.0.2");
    }

    @Test
    void aTrustedProxyCarriesManyClientsSoItsConnectionsAreNotCappedPerAddress() {
        start(NettyFrontend.builder().maxConnectionsPerAddress(1)
                .trustedProxies(TrustedProxies.of("127.0.0.4/32")));
        served("127.0.0.4");
        served("127.0.0.4");
        served("127.0.0.4");
        served("127.0.0.5");

        assertRefused("127.0.0.5");
        assertThat(front.connectionStats().refused(Refusal.PER_ADDRESS)).isEqualTo(1);
        assertThat(front.connectionStats().open()).isEqualTo(4);
    }

    @Test
    void pastTheConnectionCapOnlyHealthChecksAreServedFromTheReserve() {
        start(NettyFrontend.builder().maxConnections(2).healthCheckPaths("/healthz"));
        served("127.0.0.2");
        served("127.0.0.3");

        RawHttpConnection probe = connect("127.0.0.4");
        probe.get("/healthz");
        assertThat(probe.readUntilClosed()).startsWith("HTTP/1.1 200").contains("connection: close");
        RawHttpConnection client = connect("127.0.0.5");
        client.get("/hello");
        assertThat(client.readUntilClosed()).startsWith("HTTP/1.1 503");
        assertThat(front.connectionStats().refused(Refusal.NOT_A_HEALTH_CHECK)).isEqualTo(1);

        for (int i = 0; i < NettyFrontend.HEALTH_CHECK_RESERVE; i++) {
            connect("127.0.0.6"); // idle ones take the whole reserve
        }
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> front.connectionStats().open() == 2 + NettyFrontend.HEALTH_CHECK_RESERVE);
        assertRefused("127.0.0.7");
        assertThat(front.connectionStats().refused(Refusal.MAX_CONNECTIONS)).isEqualTo(1);
    }

    @Test
    void byDefaultTheCapLeavesTheProcessDescriptorsForEverythingElse() {
        start(NettyFrontend.builder());
        long limit = io.sockeye.netty.internal.FileDescriptors.limit();
        assertThat(limit).as("the open-file limit of this JVM").isPositive();
        assertThat(front.connectionStats().maxConnections())
                .isEqualTo(Math.max(limit / 2, limit - NettyFrontend.FILE_DESCRIPTOR_HEADROOM));
    }
}
