package io.sockeye.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and memory of processes and the kernel, from /proc (Linux); -1 where unavailable. */
final class ProcStats {

    /** USER_HZ: the unit of utime/stime; 100 on every Linux the project runs on, checked once with getconf. */
    private static final long CLOCK_TICKS = clockTicks();

    private ProcStats() {
    }

    /** User + system CPU time of a process (all its threads), in milliseconds. */
    static long cpuMillis(long pid) {
        Cpu c = cpu(pid);
        return c == null ? -1 : c.userMs() + c.systemMs();
    }

    /** CPU time of a process in user space and in the kernel, in milliseconds. */
    record Cpu(long userMs, long systemMs) {
        Cpu minus(Cpu earlier) {
            return new Cpu(userMs - earlier.userMs, systemMs - earlier.systemMs);
        }
    }

    /** User and system CPU time of a process (all its threads), from /proc/PID/stat; null where unavailable. */
    static Cpu cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]); // field 14 overall
            long stime = Long.parseLong(f[12]); // field 15 overall
            return new Cpu(utime * 1000 / CLOCK_TICKS, stime * 1000 / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@link #cpu} summed over several processes; null if any is unknown. */
    static Cpu cpu(List<Long> pids) {
        long user = 0;
        long system = 0;
        for (long pid : pids) {
            Cpu c = cpu(pid);
            if (c == null) {
                return null;
            }
            user += c.userMs();
            system += c.systemMs();
        }
        return new Cpu(user, system);
    }

    /** Sum of {@link #cpuMillis} over several processes; -1 if any is unknown. */
    static long cpuMillis(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long c = cpuMillis(pid);
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }

    /** Resident set size of a process in bytes. */
    static long rssBytes(long pid) {
        return kbField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** Kernel slab memory of the whole machine in bytes (sockets live there, outside any RSS). */
    static long slabBytes() {
        return kbField(Path.of("/proc/meminfo"), "Slab:");
    }

    /** The 1-minute load average, to flag a busy machine in the results. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kbField(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
