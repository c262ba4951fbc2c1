package io.sockeye.server.gateway.forward;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.sockeye.server.gateway.HeaderValue;
import io.sockeye.server.rooms.ErrorCode;
import io.sockeye.server.rooms.RoomsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Client events into NATS JetStream: a publish to room {@code r} goes to subject
 * {@code <subject_prefix>.<r>} (a {@code .} in a room name makes more subject tokens, so consumers may
 * filter with wildcards), an rpc to {@code rpc_subject}. JetStream stores them in the stream
 * {@code forward.nats.stream}, created at start when missing; {@link #send} completes with JetStream's
 * publish acknowledgement. Headers {@code Sockeye-User}, {@code Sockeye-Client}, {@code Sockeye-Type} and
 * {@code Nats-Msg-Id} (the event id, so JetStream drops a duplicate within its window).
 *
 * <p>While the connection is down, events are refused at once rather than parked in the client's reconnect
 * buffer.
 */
final class NatsForwarder implements Forwarder {

    private static final Logger log = LoggerFactory.getLogger(NatsForwarder.class);

    private final Connection connection;
    private final JetStream jetStream;
    private final RoomRoutes rooms;
    private final String prefix;
    private final String rpcSubject;

    private NatsForwarder(Connection connection, ForwardSettings.Nats settings) throws IOException {
        this.connection = connection;
        this.jetStream = connection.jetStream();
        this.rooms = RoomRoutes.patterns(settings.rooms());
        this.prefix = settings.subjectPrefix();
        this.rpcSubject = settings.rpcSubject();
    }

    /**
     * Connects and makes sure the stream exists.
     *
     * @throws IllegalStateException when NATS cannot be reached or JetStream is not enabled on it
     */
    static NatsForwarder connect(ForwardSettings.Nats settings, Duration timeout) {
        Options options = new Options.Builder()
                .server(settings.url().toString())
                .connectionName("sockeye-gateway")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        Connection connection;
        try {
            connection = Nats.connect(options);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("forward.nats.url: cannot reach NATS at " + settings.url().getHost() + ":"
                    + settings.url().getPort() + ": " + e.getMessage(), e);
        }
        try {
            ensureStream(connection.jetStreamManagement(), settings);
            return new NatsForwarder(connection, settings);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            closeQuietly(connection);
            throw new IllegalStateException("forward.nats.stream: cannot use JetStream stream '" + settings.stream()
                    + "' (is JetStream enabled on the server?): " + e.getMessage(), e);
        }
    }

    private static void ensureStream(JetStreamManagement jsm, ForwardSettings.Nats settings)
            throws IOException, JetStreamApiException {
        List<String> subjects = new ArrayList<>();
        subjects.add(settings.subjectPrefix() + ".>");
        if (settings.rpcSubject() != null) {
            subjects.add(settings.rpcSubject());
        }
        StreamInfo info;
        try {
            info = jsm.getStreamInfo(settings.stream());
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            jsm.addStream(StreamConfiguration.builder().name(settings.stream()).subjects(subjects)
                    .storageType(StorageType.File).build());
            log.info("created the JetStream stream {} for subjects {}", settings.stream(), subjects);
            return;
        }
        if (!info.getConfiguration().getSubjects().containsAll(subjects)) {
            log.warn("JetStream stream {} captures {}, not all of {}: events outside it are answered unavailable",
                    settings.stream(), info.getConfiguration().getSubjects(), subjects);
        }
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public boolean forwardsRoom(String room) {
        return rooms.destination(room) != null;
    }

    @Override
    public boolean forwardsRpc() {
        return rpcSubject != null;
    }

    @Override
    public CompletableFuture<Void> send(ForwardedEvent event) {
        String subject;
        if (event.room() != null) {
            if (event.room().startsWith(".") || event.room().endsWith(".") || event.room().contains("..")) {
                return CompletableFuture.failedFuture(new RoomsException(ErrorCode.INVALID,
                        "room " + event.room() + " cannot be a NATS subject (empty token)"));
            }
            subject = prefix + "." + event.room();
        } else {
            subject = rpcSubject;
        }
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return CompletableFuture.failedFuture(new IllegalStateException("NATS connection is " + connection.getStatus()));
        }
        Headers headers = new Headers();
        if (event.user() != null) {
            headers.add("Sockeye-User", HeaderValue.encode(event.user()));
        }
        headers.add("Sockeye-Client", event.client());
        headers.add("Sockeye-Type", event.type());
        PublishOptions options = PublishOptions.builder().messageId(event.id()).build();
        return jetStream.publishAsync(subject, headers, event.json(), options).thenApply(ack -> null);
    }

    @Override
    public boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
