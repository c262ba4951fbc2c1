package io.sockeye.bench.peer;

import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.adapter.redis.RedisStreamsAdapterFactory;
import io.sockeye.core.Parser;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.netty.Transport;
import io.sockeye.netty.PerMessageDeflate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Sockeye peer: the benchmark app on an embedded Sockeye server, optionally one node of a cluster
 * over Redis. The app is the same on every peer:
 * <ul>
 *   <li>{@code join(room)} with an ack: join the room, acknowledge with no arguments;</li>
 *   <li>{@code publish({room, t, p})}: emit {@code msg} with that object to everyone in {@code room};</li>
 *   <li>{@code echo(x)} with an ack: acknowledge with {@code x}.</li>
 * </ul>
 * Settings as socket.io's defaults: ping 25 s / timeout 20 s, 1 MB max message, no compression.
 * Args: {@code --port P [--threads 1] [--redis redis://127.0.0.1:6379] [--redis-streams redis://…] [--max-lifetime-s S]}
 * ({@code --redis-streams}: the Redis Streams adapter, whose connection state recovery is shared by the nodes). With
 * {@code -Dsockeye.bench.recovery=true} (the {@code sockeye-csr} peer of {@code bench/run} sets it) connection state
 * recovery is on (2-minute window), to compare its cost on the same scenarios; with
 * {@code -Dsockeye.bench.deflate=true} (the {@code sockeye-deflate} peer) permessage-deflate is negotiated and
 * every message compressed (threshold 0); {@code -Dsockeye.bench.parser=msgpack} (the {@code sockeye-msgpack} peer)
 * speaks socket.io-msgpack-parser's packets.
 */
public final class SockeyePeer {

    private SockeyePeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(PeerConsole.arg(args, "--port", "3000"));
        int threads = Integer.parseInt(PeerConsole.arg(args, "--threads", "1"));
        String redisUri = PeerConsole.arg(args, "--redis", null);
        long lifetime = Long.parseLong(PeerConsole.arg(args, "--max-lifetime-s", "3600"));

        String streamsUri = PeerConsole.arg(args, "--redis-streams", null);
        RedisAdapterFactory redis = redisUri == null ? null : RedisAdapterFactory.classic(redisUri);
        RedisStreamsAdapterFactory streams = streamsUri == null ? null : RedisStreamsAdapterFactory.connect(streamsUri);
        ServerOptions.Builder options = ServerOptions.builder()
                .pingInterval(Duration.ofSeconds(25))
                .pingTimeout(Duration.ofSeconds(20))
                .maxHttpBufferSize(1_000_000)
                .parser(Parser.valueOf(System.getProperty("sockeye.bench.parser", "json").toUpperCase(java.util.Locale.ROOT)));
        RecoveryCounts recoveries = new RecoveryCounts();
        if (redis != null) {
            options.adapterFactory(redis);
        }
        if (streams != null) {
            options.adapterFactory(streams);
        }
        if (Boolean.getBoolean("sockeye.bench.recovery")) {
            Duration window = Duration.ofMinutes(2);
            // --room-history N: a deeper per-room history than the default, for a storm whose reconnection
            // takes longer than the default bound's worth of messages (the recovery storm).
            String roomHistory = PeerConsole.arg(args, "--room-history", null);
            options.metrics(recoveries);
            options.connectionStateRecovery(roomHistory == null ? ConnectionStateRecovery.of(window, true)
                    : ConnectionStateRecovery.of(window, true).withHistory(HistoryBounds.defaults(window)
                    .withMaxEntriesPerRoom(Integer.parseInt(roomHistory))));
        }
        SocketIoServer io = SocketIoServer.create(options.build());
        AtomicInteger connections = new AtomicInteger();
        io.on("connection", socket -> {
            connections.incrementAndGet();
            socket.onDisconnect(reason -> connections.decrementAndGet());
            socket.on("join", (a, ack) -> {
                socket.join(a.getString(0));
                ack.send();
            });
            socket.on("publish", (a, ack) -> {
                Object message = a.get(0);
                if (message instanceof java.util.Map<?, ?> m && m.get("room") instanceof String room) {
                    io.to(room).emit("msg", message);
                }
                ack.send(); // nothing goes out unless the publisher asked for an ack
            });
            socket.on("echo", (a, ack) -> ack.send(a.toArray()));
        });
        // BENCH_PEER_JAVA_OPTS=-Dsockeye.bench.transport=io_uring measures io_uring against epoll (the default).
        NettyFrontend http = NettyFrontend.builder()
                .transport(Transport.of(System.getProperty("sockeye.bench.transport", "auto")))
                .perMessageDeflate(Boolean.getBoolean("sockeye.bench.deflate")
                        ? PerMessageDeflate.enabled(0) : PerMessageDeflate.DISABLED)
                .port(port)
                .threads(threads)
                .backlog(4096)
                .httpCompression(false)
                .attach(io)
                .build()
                .start();
        if (redis != null) {
            // Subscribers on other nodes must hear the first publish: wait for the namespace's subscriptions.
            redis.adapter("/").ready().get(30, TimeUnit.SECONDS);
        }
        if (streams != null) {
            streams.adapter("/").ready().get(30, TimeUnit.SECONDS);
        }
        PeerConsole.serve(http.port(), connections::get, recoveries::line, () -> {
            http.close();
            if (redis != null) {
                redis.close();
            }
            if (streams != null) {
                streams.close();
            }
        }, lifetime);
    }
}
