package io.sockeye.tests.cluster;

import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.netty.NettyFrontend;

import java.time.Duration;

/**
 * One node of {@link ClusterRecoveryEndToEndTest}, run as its own JVM so that the test can SIGKILL it:
 * an embedded Sockeye on the Redis adapter at {@code args[0]} (classic, or sharded when {@code args[1]}
 * is {@code sharded}) with connection state recovery on (30 s window). On {@code /}: {@code join}
 * (room) joins and acks; {@code publish} (room, event, from, count) emits {@code [event, i]} to the
 * room for i = from..from+count-1, then acks. Prints {@code SOCKEYE_URL=<url>} once it listens.
 */
public final class ClusterRecoveryNode {

    private ClusterRecoveryNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder()
                .pingInterval(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofSeconds(5)) // a pause of a loaded machine is no ping timeout
                .connectionStateRecovery(ConnectionStateRecovery.of(Duration.ofSeconds(30), true))
                .adapterFactory(args.length > 1 && "sharded".equals(args[1])
                        ? RedisAdapterFactory.sharded(args[0]) : RedisAdapterFactory.classic(args[0]))
                .build());
        io.of("/").on("connection", socket -> {
            socket.on("join", (a, ack) -> {
                socket.join(a.getString(0));
                ack.send();
            });
            socket.on("publish", (a, ack) -> {
                int from = a.as(2, Integer.class);
                int count = a.as(3, Integer.class);
                for (int i = from; i < from + count; i++) {
                    io.to(a.getString(0)).emit(a.getString(1), i);
                }
                ack.send();
            });
        });
        NettyFrontend http = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io).build().start();
        System.out.println("SOCKEYE_URL=http://127.0.0.1:" + http.port());
        Thread.currentThread().join();
    }
}
