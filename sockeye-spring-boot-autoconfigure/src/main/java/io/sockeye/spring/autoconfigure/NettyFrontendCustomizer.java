package io.sockeye.spring.autoconfigure;

import io.sockeye.netty.NettyFrontend;

/**
 * Adjusts the Netty front the starter builds from {@code sockeye.*} (port, host, TLS) before it starts:
 * an {@code HttpFallback} for other paths, a backlog, HTTP compression. Beans of this type are applied in
 * {@code @Order} order. (The handshake filter is the starter's: it refuses new connections while draining.)
 */
@FunctionalInterface
public interface NettyFrontendCustomizer {

    void customize(NettyFrontend.Builder frontend);
}
