package io.sockeye.bench.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One running peer server process, pinned to the server CPU, answering READY / MEM / QUIT. */
final class PeerProcess implements AutoCloseable {

    private static final Pattern MEM = Pattern.compile("MEM heap=(\\d+) rss=(-?\\d+) conns=(\\d+)");

    /** Heap used after a full GC, resident set size, and connected sockets, as the peer reports them. */
    record Memory(long heapBytes, long rssBytes, int connections) {
    }

    final PeerKind kind;
    final int port;
    private final Env env;
    private final ChildProcess process;

    private PeerProcess(Env env, PeerKind kind, int port, ChildProcess process) {
        this.env = env;
        this.kind = kind;
        this.port = port;
        this.process = process;
    }

    /**
     * The standalone server as a peer ({@code GatewayPeer}), with {@code bin/sockeye} flags. It loads much more
     * than the embedded peer (Kafka, Redis and NATS clients, JWT, metrics) on the one server CPU: it gets 3 minutes.
     */
    static PeerProcess startGateway(Env env, String logName, List<String> flags) throws Exception {
        return start(env, PeerKind.SOCKEYE, logName, flags, "io.sockeye.bench.peer.GatewayPeer", 180_000);
    }

    /** Starts a peer on a free port and waits until it listens. {@code extraArgs}: e.g. --redis for cluster nodes. */
    static PeerProcess start(Env env, PeerKind kind, String logName, List<String> extraArgs) throws Exception {
        return start(env, kind, logName, extraArgs, 60_000);
    }

    /** As {@link #start(Env, PeerKind, String, List)}, waiting up to {@code readyMillis} for it to listen. */
    static PeerProcess start(Env env, PeerKind kind, String logName, List<String> extraArgs, long readyMillis)
            throws Exception {
        return start(env, kind, logName, extraArgs, null, readyMillis);
    }

    private static PeerProcess start(Env env, PeerKind kind, String logName, List<String> extraArgs, String mainClass,
                                     long readyMillis) throws Exception {
        int port = Env.freePort();
        List<String> cmd = new ArrayList<>();
        Map<String, String> vars = Map.of();
        String lifetime = Long.toString(env.plan.childLifetimeS());
        switch (kind) {
            case SOCKEYE, SOCKEYE_CSR, SOCKEYE_DEFLATE, SOCKEYE_IO_URING, SOCKEYE_MSGPACK, RAW_NETTY -> {
                cmd.add(env.javaBin);
                cmd.addAll(env.peerJvmOptions());
                if (kind == PeerKind.SOCKEYE_CSR) {
                    cmd.add("-Dsockeye.bench.recovery=true");
                } else if (kind == PeerKind.SOCKEYE_DEFLATE) {
                    cmd.add("-Dsockeye.bench.deflate=true");
                } else if (kind == PeerKind.SOCKEYE_IO_URING) {
                    cmd.add("-Dsockeye.bench.transport=io_uring");
                } else if (kind == PeerKind.SOCKEYE_MSGPACK) {
                    cmd.add("-Dsockeye.bench.parser=msgpack");
                }
                cmd.addAll(List.of("-cp", env.harnessClasspath, mainClass != null ? mainClass : kind == PeerKind.RAW_NETTY
                        ? "io.sockeye.bench.peer.RawNettyPeer" : "io.sockeye.bench.peer.SockeyePeer"));
            }
            case NETTY_SOCKETIO -> {
                cmd.add(env.javaBin);
                cmd.addAll(env.peerJvmOptions());
                cmd.addAll(List.of("-cp", env.nettySocketIoClasspath, "io.sockeye.bench.nettysocketio.NettySocketIoPeer"));
            }
            case NODE, NODE_NATIVE, NODE_DEFLATE, NODE_MSGPACK -> {
                cmd.addAll(List.of("node", "--expose-gc", "--max-old-space-size=4096", "peer.mjs"));
                if (kind == PeerKind.NODE_DEFLATE) {
                    vars = Map.of("WS_NO_BUFFER_UTIL", "1", "WS_NO_UTF_8_VALIDATE", "1", "PEER_PER_MESSAGE_DEFLATE", "1");
                } else if (kind == PeerKind.NODE_MSGPACK) {
                    vars = Map.of("WS_NO_BUFFER_UTIL", "1", "WS_NO_UTF_8_VALIDATE", "1", "PEER_PARSER", "msgpack");
                } else if (kind == PeerKind.NODE) {
                    // The plain variant: ws's pure-JavaScript masking and UTF-8 checks, as installed by default.
                    vars = Map.of("WS_NO_BUFFER_UTIL", "1", "WS_NO_UTF_8_VALIDATE", "1");
                }
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--max-lifetime-s", lifetime));
        boolean node = kind.id.startsWith("node");
        if (!node) {
            cmd.addAll(List.of("--threads", "1"));
        }
        cmd.addAll(extraArgs);
        ChildProcess child = ChildProcess.start(logName, cmd, env.serverCpus, vars,
                node ? env.nodeDir : null,
                env.logs.resolve(logName + ".log"), "QUIT");
        PeerProcess peer = env.track(new PeerProcess(env, kind, port, child));
        try {
            child.awaitLine("READY", readyMillis);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    long pid() {
        return process.pid();
    }

    long cpuMillis() {
        return ProcStats.cpuMillis(process.pid());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the peer to collect garbage and report its memory. */
    Memory memory() throws Exception {
        process.send("MEM");
        String line = process.awaitLine("MEM", 120_000);
        Matcher m = MEM.matcher(line);
        if (!m.find()) {
            throw new IOException("malformed MEM line from " + kind.id + ": " + line);
        }
        return new Memory(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /**
     * The peer's connection state recovery outcomes (Sockeye peers with recovery on): attempts, successes,
     * ghosts taken over, and failures by reason ({@code io.sockeye.core.recovery.RecoveryFailure}).
     */
    Recoveries recoveries() throws Exception {
        process.send("RECOVERY");
        return Recoveries.parse(process.awaitLine("RECOVERY", 60_000));
    }

    @Override
    public void close() {
        process.close();
        env.untrack(this);
    }
}
