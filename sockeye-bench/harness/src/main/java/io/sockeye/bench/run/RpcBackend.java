package io.sockeye.bench.run;

import java.io.IOException;

/** The gateway scenario's rpc backend: answers after a fixed delay, never answers method {@code hang}. */
interface RpcBackend extends AutoCloseable {

    /**
     * One on Netty ({@link NettyGatewayBackend}); with {@code -Dsockeye.bench.gatewayBackend=jdk} in
     * {@code BENCH_JAVA_OPTS} the JDK's server ({@link JdkGatewayBackend}), the backend of the runs before
     * 2026-12-07 22:00, which capped the rpc loop below what the gateway could do (BENCHMARKS.md).
     */
    static RpcBackend start(long delayMillis) throws IOException {
        return "jdk".equals(System.getProperty("sockeye.bench.gatewayBackend")) ? new JdkGatewayBackend(delayMillis)
                : new NettyGatewayBackend(delayMillis);
    }

    String url(String path);

    /** Requests held unanswered so far. */
    int hung();

    @Override
    void close();
}
