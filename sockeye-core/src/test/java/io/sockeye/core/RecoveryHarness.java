package io.sockeye.core;

import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.InMemoryAdapter;
import io.sockeye.core.metrics.RecordingMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;
import io.sockeye.core.recovery.HistoryBounds;
import io.sockeye.testkit.ManualClock;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link SocketIoHarness} with connection state recovery on (2-minute window, a manual clock) and a
 * small app: {@code join}/{@code leave} events change rooms, {@code publish} broadcasts to a room.
 * The test plays the client with raw packets, as the stock socket.io-client sends them.
 */
final class RecoveryHarness implements AutoCloseable {

    static final Duration WINDOW = Duration.ofMinutes(2);
    private static final Pattern OFFSET = Pattern.compile(",\"([0-9a-z]{8}\\.[0-9]{16})\"]$");
    private static final Pattern CONNECT = Pattern.compile("^0(?:/[^,]*,)?\\{\"sid\":\"([A-Za-z0-9_-]{20})\",\"pid\":\"([A-Za-z0-9_-]{24})\"}$");

    final ManualClock clock = new ManualClock();
    final RecordingMetrics metrics = new RecordingMetrics();
    final SocketIoHarness harness;
    final SocketIoServer io;

    RecoveryHarness() {
        this(HistoryBounds.defaults(WINDOW), AdapterFactory.inMemory());
    }

    RecoveryHarness(HistoryBounds bounds, AdapterFactory adapters) {
        this(bounds, adapters, true);
    }

    RecoveryHarness(HistoryBounds bounds, AdapterFactory adapters, boolean skipMiddlewares) {
        harness = new SocketIoHarness(b -> b.adapterFactory(adapters).metrics(metrics).connectionStateRecovery(
                ConnectionStateRecovery.of(WINDOW, skipMiddlewares).withHistory(bounds).withClock(clock)));
        io = harness.io;
        io.of("/chat");
        io.on("connection", socket -> {
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send();
            });
            socket.on("leave", (args, ack) -> {
                socket.leave(args.getString(0));
                ack.send();
            });
        });
    }

    /** An adapter factory whose in-memory adapters use {@code backend} instead of the default stores. */
    static AdapterFactory adapters(java.util.function.Function<io.sockeye.core.recovery.RecoveryContext,
            io.sockeye.core.recovery.RecoveryBackend> backend) {
        return namespace -> new InMemoryAdapter(namespace) {
            @Override
            protected io.sockeye.core.recovery.RecoveryBackend newRecoveryBackend(
                    io.sockeye.core.recovery.RecoveryContext context) {
                return backend.apply(context);
            }
        };
    }

    /** A client connection that knows its socket id, pid and last offset, as socket.io-client does. */
    final class Client {
        InMemoryEngineSocket session;
        String sid;
        String pid;
        String lastOffset;

        /** Connects a new socket to {@code /}. */
        Client connect() {
            session = harness.open();
            session.receive("0");
            readConnect(session.nextText());
            return this;
        }

        /** The next text the server sent; an event's offset (if any) becomes the last offset. */
        String next() {
            String text = session.nextText();
            String offset = offsetOf(text);
            if (offset != null) {
                lastOffset = offset;
            }
            return text;
        }

        /** Sends an event with an ack id and waits for the ack (events before it are consumed into the offset). */
        void call(String event, String arg) {
            session.receive("21[\"" + event + "\",\"" + arg + "\"]");
            for (String text = next(); !text.equals("31[]"); text = next()) {
                assertThat(text).startsWith("2");
            }
        }

        /** The transport closes; returns once the server's socket has left (its session kept). */
        void drop() {
            session.transportClosed("transport close");
            session.awaitClosed();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> io.of("/").socket(sid) == null);
        }

        /** Reconnects as socket.io-client does: {@code {pid, offset}} (offset omitted when none) on a new connection. */
        void reconnect() {
            reconnectWith(lastOffset == null ? "{\"pid\":\"" + pid + "\"}"
                    : "{\"pid\":\"" + pid + "\",\"offset\":\"" + lastOffset + "\"}");
        }

        void reconnectWith(String auth) {
            session = harness.open();
            session.receive("0" + auth);
        }

        void readConnect(String text) {
            Matcher m = CONNECT.matcher(text);
            assertThat(m.matches()).as("CONNECT reply %s", text).isTrue();
            sid = m.group(1);
            pid = m.group(2);
        }

        Socket serverSocket() {
            return io.sockets().socket(sid);
        }

        /** Asserts the reconnect got a fresh socket: the CONNECT reply comes first, with a new id. */
        void assertFresh() {
            String oldSid = sid;
            String oldPid = pid;
            readConnect(session.nextText());
            assertThat(sid).isNotEqualTo(oldSid);
            assertThat(pid).isNotEqualTo(oldPid);
            assertThat(serverSocket().recovered()).isFalse();
            session.assertNothingSent();
        }
    }

    Client client() {
        return new Client();
    }

    /** The offset an event text carries as its last argument, or null. */
    static String offsetOf(String text) {
        Matcher m = OFFSET.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** {@code text} without its trailing offset argument. */
    static String withoutOffset(String text) {
        String offset = offsetOf(text);
        return offset == null ? text : text.substring(0, text.length() - offset.length() - 4) + "]";
    }

    void publish(String room, Object... args) {
        io.to(room).emit("news", args);
    }

    Map<String, Object> socketData(String sid) {
        return io.sockets().socket(sid).data();
    }

    @Override
    public void close() {
        harness.close();
    }
}
