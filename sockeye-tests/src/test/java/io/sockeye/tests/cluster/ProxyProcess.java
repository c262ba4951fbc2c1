package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A real load balancer in front of the test's nodes (nginx, HAProxy): a child process in the
 * foreground, listening on a free port of 127.0.0.1 with a configuration the subclass wrote —
 * normally the one printed in docs/clustering.md ({@link #documented}, {@link #withAddresses}), so
 * that a change to the documented configuration is what the tests run. {@link #close()} stops it.
 */
abstract class ProxyProcess implements AutoCloseable {

    /** The page holding the configurations, from the sockeye-tests module directory (Maven's working directory). */
    static final Path DOC = Path.of("..", "docs", "clustering.md").toAbsolutePath().normalize();
    private static final Pattern SERVER = Pattern.compile("127\\.0\\.0\\.1:300(\\d)\\b");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final ChildProcess process;

    ProxyProcess(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code command} and waits until {@code port} accepts connections.
     *
     * @param packageName the Debian package to name when the program is missing
     * @param whyExited   what to report when the program exits instead (its error log, say); its
     *                    output is reported too
     */
    static ChildProcess launch(String packageName, int port, Diagnostics whyExited, List<String> command) {
        ChildProcess p;
        try {
            p = ChildProcess.command(command).name(command.get(0)).start();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": install the Debian package '"
                    + packageName + "' (bin/install-test-deps does)", e);
        }
        await(command.get(0) + " listening on " + port).atMost(START_TIMEOUT)
                .until(() -> accepts(port) || !p.isAlive());
        if (!p.isAlive()) {
            String why;
            try {
                why = whyExited.read();
            } catch (IOException e) {
                why = e.toString();
            }
            throw new IllegalStateException(command.get(0) + " exited: " + why + "\n" + p.tail());
        }
        return p;
    }

    /**
     * The one code block of docs/clustering.md whose fence says {@code info} (e.g. {@code haproxy}, or
     * {@code haproxy proxy-protocol} for the second HAProxy configuration).
     */
    static String documented(String info) throws IOException {
        Matcher m = Pattern.compile("```" + Pattern.quote(info) + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        if (!m.find()) {
            throw new AssertionError("no ```" + info + " block in " + DOC);
        }
        String block = m.group(1);
        if (m.find()) {
            throw new AssertionError("more than one ```" + info + " block in " + DOC + ": which one does the test run?");
        }
        return block;
    }

    /**
     * The documented block with the test's addresses: {@code listen} (its bind or listen line) becomes
     * {@code listenHere}, the lines naming {@code 127.0.0.1:300N} point at the test's nodes (node 1
     * first), and lines for nodes beyond their count are left out. Fails when the block no longer has
     * the expected lines.
     */
    static String withAddresses(String documented, String listen, String listenHere, List<Integer> nodePorts) {
        if (!documented.contains(listen)) {
            throw new AssertionError("the documented configuration has no '" + listen + "' line");
        }
        List<String> out = new ArrayList<>();
        int servers = 0;
        for (String line : documented.replace(listen, listenHere).split("\n", -1)) {
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

    /** Reads what explains an early exit. */
    interface Diagnostics {
        String read() throws IOException;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code http://127.0.0.1:<port>}: where the clients connect. */
    final String url() {
        return "http://127.0.0.1:" + port;
    }

    final ChildProcess process() {
        return process;
    }

    @Override
    public final void close() {
        process.close();
    }
}
