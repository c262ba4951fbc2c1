package io.sockeye.bench.run;

import io.sockeye.bench.soak.SourceClass;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples one soak server from outside, in this order: a full GC and the heap used right after it
 * ({@code GC.run} then {@code GC.heap_info}, the diagnostic commands {@code jcmd} sends, over the JDK's
 * attach mechanism), one scrape of its metrics port (direct memory, Java threads, the timer wheel,
 * sessions), then /proc: open file descriptors, OS threads, RSS, and the TCP sockets it holds by client
 * class. The attach listener and the scrape connection are gone before /proc is read, so they are not
 * counted.
 */
final class ServerProbe {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final StandaloneServer server;
    private final long clientsPid;
    private Object vm;
    private Method executeJCmd;
    private boolean attachFailed;

    ServerProbe(StandaloneServer server, long clientsPid) {
        this.server = server;
        this.clientsPid = clientsPid;
    }

    Results.SoakSample sample(double tS, String phase) {
        try {
            jcmd("GC.run");
            Matcher heap = HEAP_USED.matcher(jcmd("GC.heap_info"));
            long heapAfterGc = heap.find() ? Long.parseLong(heap.group(1)) * 1024 : -1;
            MetricsText m = MetricsText.parse(StandaloneServer.get(server.metricsPort, "/metrics"));
            long pid = server.pid();
            long fds;
            try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                fds = list.count();
            }
            Map<String, Integer> held = TcpTable.heldSockets(server.port);
            return new Results.SoakSample(Load.round(tS), phase, heapAfterGc,
                    (long) m.value("sockeye_netty_direct_memory_used_bytes", -1),
                    (long) m.sum("sockeye_netty_allocator_used_bytes", "memory=\"direct\""),
                    (long) m.value("jvm_buffer_pool_used_bytes{pool=\"direct\"}", -1),
                    fds, (long) m.value("jvm_threads_current", -1), statusField(pid, "Threads:"),
                    (long) m.value("sockeye_timer_pending_timeouts", -1),
                    statusField(pid, "VmRSS:") * 1024, ProcStats.cpuMillis(pid), ProcStats.cpuMillis(clientsPid), (long) m.sum("sockeye_engine_connections{", ""),
                    (long) m.value("sockeye_slow_consumer_disconnects_total", -1), held, null);
        } catch (Exception e) {
            return Results.SoakSample.failed(Load.round(tS), phase, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Runs a diagnostic command in the server's JVM: through the attach API, or the jcmd tool if that is closed. */
    private String jcmd(String command) throws Exception {
        if (!attachFailed) {
            try {
                if (vm == null) {
                    Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
                    vm = vmClass.getMethod("attach", String.class).invoke(null, Long.toString(server.pid()));
                    executeJCmd = Class.forName("sun.tools.attach.HotSpotVirtualMachine").getMethod("executeJCmd", String.class);
                }
                try (InputStream in = (InputStream) executeJCmd.invoke(vm, command)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED missing (bench/run passes it), or no jdk.attach
                attachFailed = true;
            }
        }
        Process p = new ProcessBuilder("jcmd", Long.toString(server.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out.strip());
        }
        return out;
    }

    private static long statusField(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    void close() {
        if (vm != null) {
            try {
                vm.getClass().getMethod("detach").invoke(vm);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the server is gone
            }
        }
    }

    /** The server's TCP sockets by client class, read from /proc/net/tcp and tcp6. */
    static final class TcpTable {

        private TcpTable() {
        }

        /**
         * Sockets with a local {@code port} that a process still holds (inode not 0; an orphan in FIN_WAIT has
         * none), listening socket excluded, by the client's {@link SourceClass} ("other" for the rest).
         */
        static Map<String, Integer> heldSockets(int port) throws IOException {
            Map<String, Integer> held = new LinkedHashMap<>();
            for (SourceClass c : SourceClass.values()) {
                held.put(c.name().toLowerCase(java.util.Locale.ROOT), 0);
            }
            held.put("other", 0);
            for (String file : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
                Path path = Path.of(file);
                if (Files.exists(path)) {
                    count(Files.readAllLines(path), port, held);
                }
            }
            return held;
        }

        static void count(Iterable<String> lines, int port, Map<String, Integer> held) {
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) {
                    continue; // header
                }
                String local = f[1];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                if (localPort != port || f[3].equals("0A") || f[9].equals("0")) {
                    continue; // another port, the listening socket, or an orphan
                }
                String remote = f[2].substring(0, f[2].indexOf(':'));
                // The IPv4 address is the last 8 hex digits (IPv4-mapped in tcp6), in host (little-endian) order.
                long v4 = Long.parseLong(remote.substring(remote.length() - 8), 16);
                SourceClass c = (v4 & 0xFF) == 127 ? SourceClass.of((int) (v4 >> 8) & 0xFF) : null;
                held.merge(c == null ? "other" : c.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            }
        }
    }
}
