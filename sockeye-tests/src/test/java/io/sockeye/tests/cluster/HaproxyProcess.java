package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code haproxy} (Debian package {@code haproxy}, 2.x) in the foreground, running the
 * configuration printed in docs/clustering.md: the test reads the {@code haproxy} code block of that
 * page and changes only the addresses (its {@code bind *:80} becomes a free port of 127.0.0.1, its
 * {@code server nodeN 127.0.0.1:300N} lines point at the test's nodes; servers beyond the node count
 * are left out). A change to the documented configuration is therefore what the test runs.
 */
final class HaproxyProcess extends ProxyProcess {

    /** The page holding the configuration, from the sockeye-tests module directory (Maven's working directory). */
    static final Path DOC = Path.of("..", "docs", "clustering.md").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```haproxy\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SERVER = Pattern.compile("127\\.0\\.0\\.1:300(\\d)\\b");
    private static final String BIND = "bind *:80";

    private HaproxyProcess(int port, ChildProcess process) {
        super(port, process);
    }

    /** Starts HAProxy with the documented configuration in front of {@code nodePorts} (node 1 first). */
    static HaproxyProcess start(Path dir, List<Integer> nodePorts) throws IOException {
        int port = FreePorts.next();
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, configuration(documented(), port, nodePorts));
        // It reports configuration errors on its own output: nothing more to read when it exits.
        ChildProcess p = launch("haproxy", port, () -> "configuration " + file,
                List.of("haproxy", "-db", "-f", file.toString()));
        return new HaproxyProcess(port, p);
    }

    /** The one {@code haproxy} code block of docs/clustering.md. */
    static String documented() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(DOC));
        if (!m.find()) {
            throw new AssertionError("no ```haproxy block in " + DOC);
        }
        String block = m.group(1);
        if (m.find()) {
            throw new AssertionError("more than one ```haproxy block in " + DOC + ": which one does the test run?");
        }
        return block;
    }

    /** The documented block with the test's addresses; fails when the block no longer has the expected lines. */
    static String configuration(String documented, int port, List<Integer> nodePorts) {
        if (!documented.contains(BIND)) {
            throw new AssertionError("the documented configuration has no '" + BIND + "' line");
        }
        List<String> out = new ArrayList<>();
        int servers = 0;
        for (String line : documented.replace(BIND, "bind 127.0.0.1:" + port).split("\n", -1)) {
            Matcher m = SERVER.matcher(line);
            if (m.find()) {
                int node = Integer.parseInt(m.group(1));
                if (node > nodePorts.size()) {
                    continue;
                }
                line = m.replaceFirst("127.0.0.1:" + nodePorts.get(node - 1));
                servers++;
            }
            out.add(line);
        }
        if (servers != nodePorts.size()) {
            throw new AssertionError("the documented configuration has " + servers + " of the "
                    + nodePorts.size() + " server lines 127.0.0.1:3001... the test needs");
        }
        return String.join("\n", out);
    }
}
