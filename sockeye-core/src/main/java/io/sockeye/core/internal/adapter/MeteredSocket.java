package io.sockeye.core.internal.adapter;

import io.sockeye.core.metrics.SockeyeMetrics;

/**
 * A local socket that knows where its server reports metrics. The core's sockets implement it so
 * that a broadcast's fan-out can be reported without widening the public adapter SPI; other
 * {@code LocalSocket}s (test doubles) simply go unmeasured.
 */
public interface MeteredSocket {

    SockeyeMetrics metrics();
}
