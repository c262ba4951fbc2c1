package io.sockeye.bench.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The admin side of a peer server process, the same for every peer (the Node peer speaks it too): it
 * prints {@code READY <port>} once listening, and answers lines on stdin:
 * <ul>
 *   <li>{@code MEM}: collect garbage, then print {@code MEM heap=<bytes used> rss=<bytes> conns=<connected>};</li>
 *   <li>{@code RECOVERY} (Sockeye peers): print the connection state recovery outcomes, {@code RECOVERY attempted=N
 *       succeeded=N tookOver=N failed=reason:N,…} (see {@link RecoveryCounts}); other peers do not answer it;</li>
 *   <li>{@code QUIT} or end of input: stop the server and exit (a peer never outlives its runner).</li>
 * </ul>
 * Peers also exit by themselves after {@code maxLifetimeS}.
 */
public final class PeerConsole {

    private PeerConsole() {
    }

    /** Announces the port, then serves admin lines on a daemon thread; {@code stop} runs before exit. */
    public static void serve(int port, IntSupplier connections, Runnable stop, long maxLifetimeS) {
        serve(port, connections, null, stop, maxLifetimeS);
    }

    /** As {@link #serve(int, IntSupplier, Runnable, long)}, answering {@code RECOVERY} with {@code recovery}'s line. */
    static void serve(int port, IntSupplier connections, Supplier<String> recovery, Runnable stop, long maxLifetimeS) {
        System.out.println("READY " + port);
        System.out.flush();
        Thread admin = new Thread(() -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("MEM")) {
                        System.out.println(memoryLine(connections.getAsInt()));
                        System.out.flush();
                    } else if (line.trim().equals("RECOVERY") && recovery != null) {
                        System.out.println(recovery.get());
                        System.out.flush();
                    } else if (line.trim().equals("QUIT")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // runner gone: stop as below
            }
            exit(stop, 0);
        }, "peer-admin");
        admin.setDaemon(true);
        admin.start();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(maxLifetimeS * 1000);
                System.err.println("peer: lifetime limit reached, exiting");
                exit(stop, 3);
            } catch (InterruptedException e) {
                // not reached: daemon thread
            }
        }, "peer-lifetime");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void exit(Runnable stop, int status) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
        Runtime.getRuntime().halt(status);
    }

    /** Heap used after full collections (twice: the first may only queue finalizable garbage). */
    static String memoryLine(int connections) {
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return "MEM heap=" + heap + " rss=" + rssBytes() + " conns=" + connections;
    }

    /** Resident set size from /proc/self/status, or -1 where there is none. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** Reads {@code --name value} from args, or the default. */
    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
