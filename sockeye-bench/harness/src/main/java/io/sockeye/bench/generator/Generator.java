package io.sockeye.bench.generator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.sockeye.bench.generator.ConnectSpec.Mode;
import io.sockeye.bench.generator.ConnectSpec.Role;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load generator of one process: opens thousands of WebSocket connections on one event loop
 * (plus one loop of its own for the publisher, so its pacing does not queue behind deliveries), and
 * records delivery latency, echo round trips and handshake times in HdrHistograms (microseconds).
 */
public final class Generator implements AutoCloseable {

    /** Highest latency recorded: an hour, in microseconds. */
    public static final long HIGHEST_US = 3_600_000_000L;

    private final EventLoopGroup group;
    private final EventLoopGroup publisherGroup;
    private final Class<? extends SocketChannel> channelType;
    private final SourceAddresses sources;
    private final Recorder deliveryLatency = new Recorder(1, HIGHEST_US, 3);
    private final Recorder firstLatency = new Recorder(1, HIGHEST_US, 3);
    private final Recorder lastLatency = new Recorder(1, HIGHEST_US, 3);
    /** Recipients so far per message in flight, by send timestamp; guarded by itself. */
    private final Map<Long, int[]> arrivals = new HashMap<>();
    /** Ready subscribers of this process when the deliveries were last reset: recipients per message. */
    private volatile int subscribersPerMessage;
    private final LongAdder delivered = new LongAdder();
    private final WireBytes wireBytes = new WireBytes();
    private final Recorder echoLatency = new Recorder(1, HIGHEST_US, 3);
    private final LongAdder echoes = new LongAdder();
    private final Map<String, LongAdder> echoRefusals = new ConcurrentHashMap<>();
    private final LongAdder protocolErrors = new LongAdder();
    private final Map<String, LongAdder> lost = new ConcurrentHashMap<>();
    private final Set<LoadConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private volatile Payloads echoPayloads;
    private volatile LoadConnection publisher;

    public Generator(int processIndex, int threads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        this.publisherGroup = new MultiThreadIoEventLoopGroup(1, io);
        this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.sources = new SourceAddresses(processIndex);
    }

    // ---- connecting ----

    /** The outcome of one connect command. */
    public record ConnectResult(int ready, int failed, Map<String, Integer> failures, long elapsedNanos,
                                long lastReadyNanos, Histogram readyTimesUs) {
    }

    /**
     * Opens {@code spec.count()} connections, at most {@code spec.concurrency()} handshakes at a time,
     * and returns once each is ready or failed, or the spec's timeout has passed.
     */
    public ConnectResult connect(ConnectSpec spec) throws InterruptedException {
        Semaphore permits = new Semaphore(spec.concurrency());
        CountDownLatch done = new CountDownLatch(spec.count());
        AtomicInteger ready = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        Recorder readyTimes = new Recorder(1, HIGHEST_US, 3);
        AtomicLong lastReady = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMs());
        LoadConnection.Outcome outcome = (c, failure) -> {
            long now = System.nanoTime();
            if (failure == null) {
                ready.incrementAndGet();
                readyTimes.recordValue(Math.max(1, (now - c.startNanos()) / 1000));
                lastReady.accumulateAndGet(now - start, Math::max);
                open.add(c);
                if (c.spec().role() == Role.PUBLISHER) {
                    publisher = c;
                }
            } else {
                failures.computeIfAbsent(failure, k -> new AtomicInteger()).incrementAndGet();
            }
            permits.release();
            done.countDown();
        };
        List<LoadConnection> started = new ArrayList<>(spec.count());
        Map<Integer, URI> uris = new TreeMap<>();
        EventLoopGroup loops = spec.role() == Role.PUBLISHER ? publisherGroup : group;
        int launched = 0;
        for (; launched < spec.count(); launched++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            int port = spec.ports().get(launched % spec.ports().size());
            URI uri = uris.computeIfAbsent(port, p -> uri(spec, p));
            LoadConnection c = new LoadConnection(this, spec, outcome);
            started.add(c);
            ChannelFuture f = bootstrap(loops, spec, uri, c)
                    .connect(new InetSocketAddress(spec.host(), port), sources.next());
            f.addListener(r -> {
                if (!r.isSuccess()) {
                    c.fail(describe(r.cause()));
                }
            });
        }
        int notLaunched = spec.count() - launched;
        if (notLaunched > 0) {
            failures.computeIfAbsent("not started before the timeout", k -> new AtomicInteger()).addAndGet(notLaunched);
            for (int i = 0; i < notLaunched; i++) {
                done.countDown();
            }
        }
        if (!done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            for (LoadConnection c : started) {
                Channel ch = c.channel();
                if (ch != null) {
                    ch.eventLoop().execute(() -> c.fail("not ready before the timeout"));
                } else {
                    c.fail("not ready before the timeout");
                }
            }
            done.await(10, TimeUnit.SECONDS);
        }
        Map<String, Integer> failureCounts = new TreeMap<>();
        failures.forEach((k, v) -> failureCounts.put(k, v.get()));
        int failed = failureCounts.values().stream().mapToInt(Integer::intValue).sum();
        return new ConnectResult(ready.get(), failed, failureCounts, System.nanoTime() - start, lastReady.get(),
                readyTimes.getIntervalHistogram());
    }

    private static URI uri(ConnectSpec spec, int port) {
        String query = spec.mode() != Mode.RAW && spec.mode() != Mode.SSE ? "?EIO=4&transport=websocket" : "";
        return URI.create("ws://" + spec.host() + ":" + port + spec.path() + query);
    }

    private Bootstrap bootstrap(EventLoopGroup loops, ConnectSpec spec, URI uri, LoadConnection c) {
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .allowExtensions(spec.mode() == Mode.SOCKET_IO_DEFLATE)
                .maxFramePayloadLength(1 << 20)
                .performMasking(true)
                .handleCloseFrames(true)
                // The generator measures servers, it does not police them (the conformance tests do):
                // no UTF-8 scan of every received frame, one cost less on the receiving side.
                .withUTF8Validator(false)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(spec.timeoutMs())
                .absoluteUpgradeUrl(false)
                .generateOriginHeader(false)
                .build();
        return new Bootstrap()
                .group(loops)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(spec.timeoutMs(), 60_000))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (spec.role() == Role.SUBSCRIBER) {
                            ch.pipeline().addLast(wireBytes); // first: the bytes as they came off the socket
                        }
                        if (spec.mode() == Mode.SSE) {
                            ch.pipeline().addLast(new HttpClientCodec(), new SseSubscriber(c, spec.host(), uri.getPort(),
                                    spec.path(), spec.room()), c);
                            return;
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536));
                        if (spec.mode() == Mode.SOCKET_IO_DEFLATE) {
                            // Netty's client side of permessage-deflate, offering client_no_context_takeover
                            // (its default refuses a server that asks for it, as Sockeye always does).
                            ch.pipeline().addLast(new WebSocketClientExtensionHandler(
                                    new PerMessageDeflateClientExtensionHandshaker(6, false, 15, true, false)));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(ws), c);
                    }
                });
    }

    // ---- fan-out: deliveries to subscribers, paced publishing ----

    /**
     * Records one delivery of the message sent at {@code sentEpochNanos} (its intended send time, which
     * also identifies it) and, per message, the latency of its first and of its last recipient in this
     * process: a burst to N sockets spreads over time, and the last recipient's latency is what the p99
     * of a large room is made of.
     */
    void recordDelivery(long sentEpochNanos, long latencyNanos) {
        long us = clamp(latencyNanos / 1000);
        deliveryLatency.recordValue(us);
        delivered.increment();
        int expected = subscribersPerMessage;
        if (expected <= 0) {
            return;
        }
        synchronized (arrivals) {
            int[] seen = arrivals.get(sentEpochNanos);
            if (seen == null) {
                firstLatency.recordValue(us);
                if (expected == 1) {
                    lastLatency.recordValue(us);
                    return;
                }
                arrivals.put(sentEpochNanos, new int[] {1});
            } else if (++seen[0] >= expected) {
                arrivals.remove(sentEpochNanos);
                lastLatency.recordValue(us);
            }
        }
    }

    /** Deliveries so far since the last reset or snapshot. */
    public long deliveredCount() {
        return delivered.sum();
    }

    /** Forgets deliveries recorded so far. */
    public void resetDeliveries() {
        delivered.reset();
        wireBytes.reset();
        deliveryLatency.reset();
        firstLatency.reset();
        lastLatency.reset();
        synchronized (arrivals) {
            arrivals.clear();
        }
        recipientsPerMessage((int) open.stream()
                .filter(c -> c.spec().role() == Role.SUBSCRIBER && c.isReady()).count());
    }

    /** How many recipients in this process make a message's last one (set by {@link #resetDeliveries}). */
    void recipientsPerMessage(int n) {
        subscribersPerMessage = n;
    }

    /** Deliveries and their latency since the last reset or snapshot; starts a new interval. */
    public Snapshot snapshot() {
        Histogram h = deliveryLatency.getIntervalHistogram();
        synchronized (arrivals) {
            arrivals.clear(); // messages some recipient never got: no last recipient to record
        }
        return new Snapshot(delivered.sumThenReset(), h, firstLatency.getIntervalHistogram(),
                lastLatency.getIntervalHistogram(), wireBytes.sumThenReset());
    }

    /**
     * Deliveries and their latency; {@code firstUs}/{@code lastUs}: per message, the latency of its first
     * and of its last recipient in this process (messages that missed a recipient have no last); {@code wireBytes}:
     * what the subscribers' sockets read meanwhile ({@link WireBytes}).
     */
    public record Snapshot(long count, Histogram latencyUs, Histogram firstUs, Histogram lastUs, long wireBytes) {
    }

    /** Whether the publisher connection speaks the standalone server's protocol (publishes need its request shape). */
    public boolean standalonePublisher() {
        LoadConnection p = publisher;
        return p != null && p.spec().mode() == Mode.STANDALONE;
    }

    /**
     * Publishes at {@code rate} messages/s for {@code durationMs} from this process's publisher connection
     * and returns how many were sent. Each payload carries its intended send time, not the time the write
     * happened, so a late publisher shows as latency instead of hiding it (coordinated omission).
     * With {@code burst} above 1 the messages go out {@code burst} at a time, back to back in one flush
     * (same average rate): several publishes are in flight at once, as from a pipelining publisher, and
     * each message of a burst carries the burst's due time.
     */
    public long publish(double rate, long durationMs, Payloads payloads, int burst) throws Exception {
        LoadConnection p = publisher;
        if (p == null || !p.isReady()) {
            throw new IllegalStateException("no ready publisher connection");
        }
        Pacer pacer = new Pacer(p, rate, Math.max(1, Math.round(rate * durationMs / 1000.0)), payloads, burst);
        p.channel().eventLoop().execute(pacer::start);
        return pacer.done.get(durationMs + 60_000, TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes {@code count} messages from this process's publisher connection, each asking for an ack,
     * with at most {@code window} unacknowledged: window 1 is a publisher that waits for each ack (one
     * message per server flush, one write per recipient); a larger window lets broadcasts queue together.
     * Payloads carry their send time. Returns how many were acknowledged.
     */
    public long publishAcked(long count, int window, Payloads payloads, long timeoutMs) throws Exception {
        LoadConnection p = publisher;
        if (p == null || !p.isReady()) {
            throw new IllegalStateException("no ready publisher connection");
        }
        AckedPublisher publishing = new AckedPublisher(p, count, window, payloads);
        p.channel().eventLoop().execute(publishing::start);
        try {
            return publishing.done.get(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            p.channel().eventLoop().execute(() -> p.publishAcks(null));
        }
    }

    // ---- echo with acks, closed loop ----

    /**
     * {@code refused}: round trips answered {@code {ok: false}} (the standalone server's requests only), by the
     * error's code.
     */
    public record EchoResult(long roundTrips, long elapsedNanos, Histogram latencyUs, int connections,
                             Map<String, Long> refused) {
    }

    /** Runs the closed echo loop on every ready echo connection for {@code durationMs}. */
    public EchoResult echo(long durationMs, Payloads payloads) throws InterruptedException {
        List<LoadConnection> conns = open.stream()
                .filter(c -> c.spec().role() == Role.ECHO && c.isReady()).toList();
        echoLatency.reset();
        echoes.reset();
        echoRefusals.clear();
        echoPayloads = payloads;
        long start = System.nanoTime();
        for (LoadConnection c : conns) {
            c.channel().eventLoop().execute(() -> c.sendEcho(payloads));
        }
        // The measurement window itself: a fixed duration, not a wait for a condition.
        TimeUnit.MILLISECONDS.sleep(durationMs);
        echoPayloads = null; // each connection stops after its reply in flight
        long elapsed = System.nanoTime() - start;
        Histogram h = echoLatency.getIntervalHistogram();
        long n = echoes.sumThenReset();
        Map<String, Long> refused = new TreeMap<>();
        echoRefusals.forEach((code, count) -> refused.put(code, count.sumThenReset()));
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < drainDeadline && conns.stream().anyMatch(LoadConnection::echoOutstanding)) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return new EchoResult(n, elapsed, h, conns.size(), refused);
    }

    void echoRefused(String code) {
        echoRefusals.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Records one round trip; returns the payloads for the next request, or null to stop. */
    Payloads echoReplied(long rttNanos) {
        echoLatency.recordValue(clamp(rttNanos / 1000));
        echoes.increment();
        return echoPayloads;
    }

    // ---- bookkeeping ----

    void protocolError() {
        protocolErrors.increment();
    }

    void connectionLost(LoadConnection c, String reason) {
        open.remove(c);
        if (!closing) {
            lost.computeIfAbsent(reason, k -> new LongAdder()).increment();
        }
    }

    public int openConnections() {
        return open.size();
    }

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Ready connections that closed without being asked to, by reason. */
    public Map<String, Long> lostConnections() {
        Map<String, Long> m = new TreeMap<>();
        lost.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Closes every connection and waits (bounded) for the closes; counters are kept. */
    public int closeAll() throws InterruptedException {
        closing = true;
        try {
            List<ChannelFuture> closes = new ArrayList<>();
            for (LoadConnection c : List.copyOf(open)) {
                closes.add(c.channel().close());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (ChannelFuture f : closes) {
                f.await(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            open.clear();
            publisher = null;
            return closes.size();
        } finally {
            closing = false;
        }
    }

    @Override
    public void close() {
        try {
            closeAll();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long clamp(long us) {
        return Math.max(1, Math.min(HIGHEST_US, us));
    }

    /** A short failure reason, grouped so a storm's failures can be counted by kind. */
    public static String describe(Throwable t) {
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException) {
            return "connect timeout";
        }
        String msg = String.valueOf(t.getMessage());
        if (msg.contains("Too many open files")) {
            return "too many open files";
        }
        if (t instanceof BindException) {
            return "bind failed";
        }
        if (msg.contains("Connection reset")) {
            return "connection reset";
        }
        return t.getClass().getSimpleName();
    }
}
