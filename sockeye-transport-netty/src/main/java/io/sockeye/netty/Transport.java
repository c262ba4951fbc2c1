package io.sockeye.netty;

import java.util.Locale;

/**
 * The I/O transport of the Netty front's event loops. {@link #AUTO} takes the first of epoll and NIO
 * that loads; a transport asked for by name that does not load (no native jar for the platform, a kernel
 * or sandbox that refuses it) falls back along io_uring → epoll → NIO, and the front logs one warning
 * saying why. NIO runs everywhere. See {@code docs/deployment.md}, "I/O transport".
 */
public enum Transport {
    /** The best transport that loads here: epoll on Linux, NIO elsewhere. */
    AUTO,
    /**
     * Linux io_uring (kernel 5.14+), from the optional {@code netty-transport-native-io_uring} jar; not
     * picked by {@link #AUTO} until it measures better than epoll.
     */
    IO_URING,
    /** Linux epoll, from {@code netty-transport-native-epoll} (a runtime dependency that may be excluded). */
    EPOLL,
    /** Java NIO selectors: every platform. */
    NIO;

    /** The name in configuration files and logs: {@code auto}, {@code io_uring}, {@code epoll}, {@code nio}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The transport of a configuration name (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Transport of(String name) {
        for (Transport t : values()) {
            if (t.configName().equalsIgnoreCase(name.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (auto, io_uring, epoll or nio)");
    }
}
