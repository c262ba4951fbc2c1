package io.sockeye.server.gateway.forward;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where client events are forwarded ({@code forward.*}): each broker is optional, and a publish is sent to
 * every broker with a route for its room.
 *
 * @param timeout how long the publisher's ack may wait for the brokers' acknowledgements
 * @param kafka   {@code null} without Kafka
 * @param nats    {@code null} without NATS
 * @param redis   {@code null} without Redis Streams
 */
public record ForwardSettings(Duration timeout, Kafka kafka, Nats nats, Redis redis) {

    /** A room pattern and the topic or stream its publishes go to. */
    public record Route(String pattern, String destination) {
        public Route {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * @param brokers  bootstrap servers, {@code host:port}
     * @param topics   the first route whose pattern matches a room names its topic
     * @param rpcTopic where rpc calls go, or {@code null}
     */
    public record Kafka(List<String> brokers, List<Route> topics, String rpcTopic) {
        public Kafka {
            brokers = List.copyOf(brokers);
            topics = List.copyOf(topics);
        }
    }

    /**
     * @param url           NATS with JetStream
     * @param rooms         patterns of the rooms forwarded, each to subject {@code <subjectPrefix>.<room>}
     * @param subjectPrefix first tokens of those subjects
     * @param rpcSubject    where rpc calls go, or {@code null}
     * @param stream        the JetStream stream capturing the subjects (created when missing)
     */
    public record Nats(URI url, List<String> rooms, String subjectPrefix, String rpcSubject, String stream) {
        public Nats {
            Objects.requireNonNull(url, "url");
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * @param url       the Redis holding the streams
     * @param streams   the first route whose pattern matches a room names its stream
     * @param rpcStream where rpc calls go, or {@code null}
     * @param maxLen    approximate length each stream is trimmed to on {@code XADD}; 0 never trims
     */
    public record Redis(URI url, List<Route> streams, String rpcStream, long maxLen) {
        public Redis {
            Objects.requireNonNull(url, "url");
            streams = List.copyOf(streams);
        }
    }

    /** Nothing forwarded. */
    public static ForwardSettings none() {
        return new ForwardSettings(Duration.ofSeconds(5), null, null, null);
    }

    /** Whether any broker is configured. */
    public boolean enabled() {
        return kafka != null || nats != null || redis != null;
    }
}
