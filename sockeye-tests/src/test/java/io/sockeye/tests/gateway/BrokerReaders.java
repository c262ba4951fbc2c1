package io.sockeye.tests.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Backends reading what the gateway forwarded, each with its broker's ordinary client and as a consumer
 * group (Kafka group, JetStream durable consumer, Redis Streams group), acknowledging what they read. Each
 * read keeps going until {@code enough} holds for what was read so far, or the deadline passes.
 */
final class BrokerReaders {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One forwarded event as a consumer received it: the gateway's JSON, the key, the broker's headers. */
    record Received(Map<String, Object> event, String key, Map<String, String> headers) {
        String id() {
            return String.valueOf(event.get("id"));
        }
    }

    private BrokerReaders() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static List<Received> kafka(String bootstrap, String topic, String group, Duration deadline,
                                Predicate<List<Received>> enough) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Received> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + deadline.toNanos();
            while (!enough.test(out) && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                    out.add(new Received(json(r.value()), r.key(), headers));
                }
                consumer.commitSync();
            }
        }
        return out;
    }

    static List<Received> nats(String url, String subject, String durable, Duration deadline,
                               Predicate<List<Received>> enough) throws Exception {
        List<Received> out = new ArrayList<>();
        try (Connection connection = Nats.connect(url)) {
            JetStreamSubscription sub = connection.jetStream().subscribe(subject,
                    PullSubscribeOptions.builder().durable(durable).build());
            long end = System.nanoTime() + deadline.toNanos();
            while (!enough.test(out) && System.nanoTime() < end) {
                for (Message m : sub.fetch(100, Duration.ofMillis(500))) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    if (m.getHeaders() != null) {
                        m.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().get(0)));
                    }
                    out.add(new Received(json(m.getData()), m.getSubject(), headers));
                    m.ack();
                }
            }
        }
        return out;
    }

    static List<Received> redis(String url, String stream, String group, Duration deadline,
                                Predicate<List<Received>> enough) {
        RedisClient client = RedisClient.create(url);
        List<Received> out = new ArrayList<>();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            try {
                c.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream());
            } catch (RedisBusyException e) {
                // the group exists: go on where it stopped
            }
            long end = System.nanoTime() + deadline.toNanos();
            while (!enough.test(out) && System.nanoTime() < end) {
                List<StreamMessage<String, String>> batch = c.sync().xreadgroup(Consumer.from(group, "reader"),
                        XReadArgs.Builder.block(500).count(100), XReadArgs.StreamOffset.lastConsumed(stream));
                for (StreamMessage<String, String> m : batch) {
                    Map<String, Object> event = new LinkedHashMap<>(m.getBody()); // data and meta stay JSON text
                    out.add(new Received(event, m.getBody().get("room"), Map.of()));
                    c.sync().xack(stream, group, m.getId());
                }
            }
        } finally {
            client.shutdown();
        }
        return out;
    }
}
