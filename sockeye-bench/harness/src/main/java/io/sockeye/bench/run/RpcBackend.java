package io.sockeye.bench.run;

import java.io.IOException;

/** The gateway scenario's rpc backend: answers after a fixed delay, never answers method {@code hang}. */
interface RpcBackend extends AutoCloseable {

    /**
     * The JDK's server ({@link GatewayBackend}), or with {@code -Dsockeye.bench.gatewayBackend=netty} in
     * {@code BENCH_JAVA_OPTS} one on Netty ({@link NettyGatewayBackend}), for when the JDK's costs more than the
     * gateway.
     */
    static RpcBackend start(long delayMillis) throws IOException {
        return "netty".equals(System.getProperty("sockeye.bench.gatewayBackend")) ? new NettyGatewayBackend(delayMillis)
                : new GatewayBackend(delayMillis);
    }

    String url(String path);

    /** Requests held unanswered so far. */
    int hung();

    @Override
    void close();
}
