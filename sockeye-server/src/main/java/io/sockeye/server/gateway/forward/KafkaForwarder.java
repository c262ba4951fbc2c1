package io.sockeye.server.gateway.forward;

import io.sockeye.server.gateway.HeaderValue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Client events into Kafka: a topic per room pattern ({@code forward.kafka.topics}), the room as the record
 * key (so one room's events keep their order in one partition), the JSON of {@link ForwardedEvent} as the
 * value, and headers {@code sockeye-user}, {@code sockeye-client}, {@code sockeye-id}, {@code sockeye-type}.
 * The producer is idempotent with {@code acks=all}: {@link #send} completes once the partition's in-sync
 * replicas have the record.
 *
 * <p>{@code KafkaProducer.send} may block (while it fetches a topic's metadata, or its buffer is full), so
 * it is called on one thread of this forwarder's own behind a bounded queue, never on the caller's; an event
 * whose caller stopped waiting is not sent at all.
 */
final class KafkaForwarder implements Forwarder {

    /** Events waiting for the producer thread; past it an event is refused at once. */
    static final int QUEUE = 16_384;

    private final KafkaProducer<String, byte[]> producer;
    private final RoomRoutes topics;
    private final String rpcTopic;
    private final ThreadPoolExecutor sender;
    private volatile boolean up = true;

    private KafkaForwarder(ForwardSettings.Kafka settings, Duration timeout) {
        long ms = Math.max(1000, timeout.toMillis());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.brokers()));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sockeye-gateway");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2); // a little batching: thousands of events per second share requests
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ms);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ms + 2 + 1000);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topics = new RoomRoutes(settings.topics());
        this.rpcTopic = settings.rpcTopic();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "sockeye-forward-kafka");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects, after checking that a broker answers within {@code timeout} (at least 10 s).
     *
     * @throws IllegalStateException when none does
     */
    static KafkaForwarder connect(ForwardSettings.Kafka settings, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", settings.brokers()));
        long wait = Math.max(10_000, timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) wait);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) wait);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(wait, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("forward.kafka.brokers: cannot reach Kafka at " + settings.brokers() + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
        return new KafkaForwarder(settings, timeout);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean forwardsRoom(String room) {
        return topics.destination(room) != null;
    }

    @Override
    public boolean forwardsRpc() {
        return rpcTopic != null;
    }

    @Override
    public CompletableFuture<Void> send(ForwardedEvent event) {
        String topic = event.room() != null ? topics.destination(event.room()) : rpcTopic;
        RecordHeaders headers = new RecordHeaders();
        if (event.user() != null) {
            headers.add("sockeye-user", HeaderValue.encode(event.user()).getBytes(StandardCharsets.UTF_8));
        }
        headers.add("sockeye-client", event.client().getBytes(StandardCharsets.UTF_8));
        headers.add("sockeye-id", event.id().getBytes(StandardCharsets.UTF_8));
        headers.add("sockeye-type", event.type().getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, event.key(), event.json(), headers);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                if (acked.isDone()) {
                    return; // the caller gave up (timeout): better not sent than sent after "unavailable"
                }
                try {
                    producer.send(record, (metadata, error) -> {
                        up = error == null;
                        if (error == null) {
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(error);
                        }
                    });
                } catch (RuntimeException e) { // metadata not available within max.block.ms, producer closed...
                    up = false;
                    acked.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(new IllegalStateException(QUEUE + " events already wait for Kafka"));
        }
        return acked;
    }

    @Override
    public boolean connected() {
        return up;
    }

    @Override
    public void close() {
        sender.shutdown();
        producer.close(Duration.ofSeconds(2));
    }
}
