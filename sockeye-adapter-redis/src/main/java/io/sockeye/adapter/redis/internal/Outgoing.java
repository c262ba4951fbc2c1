package io.sockeye.adapter.redis.internal;

/** One Redis publish: the channel and the encoded message. */
public record Outgoing(String channel, byte[] payload) {
}
