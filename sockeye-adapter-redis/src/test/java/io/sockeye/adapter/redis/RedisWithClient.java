package io.sockeye.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real redis-server and a Lettuce client of it, with small thread pools, for a test class. */
final class RedisWithClient implements AutoCloseable {

    final RedisServer redis;
    final RedisClient client;
    private final ClientResources resources;

    private RedisWithClient(RedisServer redis, ClientResources resources, RedisClient client) {
        this.redis = redis;
        this.resources = resources;
        this.client = client;
    }

    /** Starts redis-server and a client with {@code options} (an adapter factory's {@code clientOptions}). */
    static RedisWithClient start(ClientOptions options) {
        RedisServer redis = RedisServer.start();
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        RedisClient client = RedisClient.create(resources, redis.uri());
        client.setOptions(options);
        return new RedisWithClient(redis, resources, client);
    }

    String uri() {
        return redis.uri();
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        redis.close();
    }
}
