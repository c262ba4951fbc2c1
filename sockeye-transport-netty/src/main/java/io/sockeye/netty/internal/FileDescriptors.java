package io.sockeye.netty.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's open-file limit (RLIMIT_NOFILE), which every accepted connection takes one of. */
public final class FileDescriptors {

    private FileDescriptors() {
    }

    /** The limit, or -1 where the JVM cannot tell (not a Unix, or not a HotSpot-style JVM). */
    public static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
