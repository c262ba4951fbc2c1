package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code haproxy} (Debian package {@code haproxy}, 2.x) in the foreground, running a
 * configuration printed in docs/clustering.md: the test reads the {@code haproxy} code block of that
 * page (or the {@code haproxy proxy-protocol} one) and changes only the addresses (its
 * {@code bind *:80} becomes a free port of 127.0.0.1, its {@code server nodeN 127.0.0.1:300N} lines
 * point at the test's nodes; servers beyond the node count are left out).
 */
final class HaproxyProcess extends ProxyProcess {

    /** The cookie configuration in {@code mode http}. */
    static final String HTTP = "haproxy";
    /** The configuration in {@code mode tcp} with the PROXY protocol. */
    static final String PROXY_PROTOCOL = "haproxy proxy-protocol";
    private static final String BIND = "bind *:80";

    private HaproxyProcess(int port, ChildProcess process) {
        super(port, process);
    }

    /** Starts HAProxy with the documented cookie configuration in front of {@code nodePorts} (node 1 first). */
    static HaproxyProcess start(Path dir, List<Integer> nodePorts) throws IOException {
        return start(dir, HTTP, nodePorts);
    }

    /** Starts HAProxy with the documented configuration of the {@code block} fence in front of {@code nodePorts}. */
    static HaproxyProcess start(Path dir, String block, List<Integer> nodePorts) throws IOException {
        int port = FreePorts.next();
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, withAddresses(documented(block), BIND, "bind 127.0.0.1:" + port, nodePorts));
        // It reports configuration errors on its own output: nothing more to read when it exits.
        ChildProcess p = launch("haproxy", port, () -> "configuration " + file,
                List.of("haproxy", "-db", "-f", file.toString()));
        return new HaproxyProcess(port, p);
    }
}
