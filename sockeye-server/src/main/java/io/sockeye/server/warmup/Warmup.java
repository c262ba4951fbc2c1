package io.sockeye.server.warmup;

import io.sockeye.core.ConnectError;
import io.sockeye.core.Namespace;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The start-up warm-up: before the node turns ready, clients inside the process run the paths a reconnect
 * storm and its traffic take — WebSocket handshakes, Socket.IO connects, client events with acks,
 * broadcasts to a room — over real loopback connections to the server's own port, in rounds, until the
 * rounds are done or {@link WarmupSettings#timeout()} has passed. So the JIT has compiled those paths
 * when the first real clients arrive (docs/deployment.md, "Warm start").
 *
 * <p>The clients use a private namespace ({@value #NAMESPACE}) that admits only a connection carrying
 * this start's random token, which is forgotten once the warm-up is over; their handshakes are exempt
 * from the handshake rate limits while it runs (the same token, in the query). Their broadcasts stay on
 * this node. A warm-up that fails or runs out of time is logged, and the node turns ready anyway.
 */
public final class Warmup {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    /** The warm-up clients' namespace. */
    public static final String NAMESPACE = "/sockeye-warmup";
    /** The query parameter of the warm-up clients' handshakes. */
    static final String QUERY_PARAMETER = "sockeye_warmup";
    static final int CONNECTIONS_PER_ROUND = 50;
    static final int PUBLISHES_PER_ROUND = 40;
    static final int ROUNDS = 40;
    static final String ROOM = "warmup";

    private final WarmupSettings settings;
    private volatile String token;

    /** Installs the warm-up's namespace on {@code io} when the warm-up is enabled. */
    public Warmup(SocketIoServer io, WarmupSettings settings) {
        this.settings = settings;
        if (settings.enabled()) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            this.token = HexFormat.of().formatHex(random);
            install(io.of(NAMESPACE));
        }
    }

    private void install(Namespace ns) {
        ns.use((socket, next) -> {
            Object offered = socket.handshake().auth().get("token");
            if (offered instanceof String s && matches(s)) {
                next.proceed();
            } else {
                next.reject(new ConnectError("Invalid namespace")); // what socket.io answers for a namespace it does not serve
            }
        });
        ns.onConnection(socket -> {
            socket.join(ROOM);
            socket.on("publish", (args, ack) -> {
                ns.local().to(ROOM).emit("message", args.get(0));
                ack.send("ok");
            });
        });
    }

    private boolean matches(String offered) {
        String t = token;
        return t != null && offered != null
                && MessageDigest.isEqual(t.getBytes(StandardCharsets.US_ASCII), offered.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a handshake is one of this warm-up's own, while it runs: exempt from the handshake rate limits. */
    public boolean admits(RequestInfo request) {
        return token != null && matches(request.queryParam(QUERY_PARAMETER));
    }

    public WarmupSettings settings() {
        return settings;
    }

    /**
     * Runs the warm-up against the server on {@code host:port} and returns once it is over (done, failed
     * or out of time); never throws.
     *
     * @param whileConnected runs once, while the first round's connections are up (tests look at
     *                       readiness then); may be {@code null}
     */
    public Report run(String host, int port, boolean tls, Runnable whileConnected) {
        if (!settings.enabled()) {
            return Report.SKIPPED;
        }
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        int rounds = 0;
        long handshakes = 0;
        long deliveries = 0;
        String failure = null;
        try {
            WarmupClient client = new WarmupClient(uri(host, port, tls, token), token, tls);
            for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
                WarmupClient.Round round = client.round(CONNECTIONS_PER_ROUND, PUBLISHES_PER_ROUND, deadline,
                        rounds == 0 ? whileConnected : null);
                handshakes += round.connected();
                deliveries += round.deliveries();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            token = null; // nobody gets in with it any more
        }
        Report report = new Report(true, rounds, handshakes, deliveries, Duration.ofNanos(System.nanoTime() - start),
                failure == null && rounds == ROUNDS, failure);
        if (report.complete()) {
            log.info("warm-up done: {} connections, {} deliveries in {} ms", handshakes, deliveries, report.took().toMillis());
        } else {
            log.warn("warm-up stopped after {} ms ({} of {} rounds, {} connections): {}; ready anyway",
                    report.took().toMillis(), rounds, ROUNDS, handshakes,
                    failure != null ? failure : "warmup.timeout (" + settings.timeout().toMillis() + " ms) reached");
        }
        return report;
    }

    /** The server's own address as a local client reaches it: loopback for all interfaces. */
    static URI uri(String host, int port, boolean tls, String token) {
        String h = host == null || host.equals("0.0.0.0") || host.equals("*") ? "127.0.0.1"
                : host.equals("::") ? "[::1]" : host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((tls ? "wss" : "ws") + "://" + h + ":" + port + "/socket.io/?EIO=4&transport=websocket&"
                + QUERY_PARAMETER + "=" + token);
    }

    /**
     * What a warm-up did.
     *
     * @param ran        false when it was off
     * @param rounds     rounds completed
     * @param handshakes connections that got through the handshake and the namespace connect
     * @param deliveries broadcast messages the clients received
     * @param took       how long it ran
     * @param complete   every round done within the timeout
     * @param failure    why it stopped early, or {@code null}
     */
    public record Report(boolean ran, int rounds, long handshakes, long deliveries, Duration took, boolean complete,
                         String failure) {
        static final Report SKIPPED = new Report(false, 0, 0, 0, Duration.ZERO, false, null);
    }
}
