package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real load balancer in front of the test's nodes (nginx, HAProxy): a child process in the
 * foreground, listening on a free port of 127.0.0.1 with a configuration the subclass wrote.
 * {@link #close()} stops it.
 */
abstract class ProxyProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

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
