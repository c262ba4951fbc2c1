package io.sockeye.bench.nettysocketio;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The netty-socketio 2.0.14 peer: the benchmark app (join with ack, publish to a room, echo with ack),
 * configured like socket.io's defaults: ping 25 s / timeout 20 s, 1 MB max message, no WebSocket or
 * HTTP compression, plus what the other JVM peers get: epoll, backlog 4096, TCP_NODELAY, one worker
 * event loop (and netty-socketio's separate boss loop for accepting).
 *
 * <p>It speaks the same admin lines as every peer (READY / MEM / QUIT, see the harness's PeerConsole,
 * of which this is a copy: this module must not see Sockeye's class path, which runs on Netty 4.2).
 * Args: {@code --port P [--threads 1] [--max-lifetime-s S]}.
 */
public final class NettySocketIoPeer {

    private NettySocketIoPeer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(arg(args, "--port", "3000"));
        int threads = Integer.parseInt(arg(args, "--threads", "1"));
        long lifetimeS = Long.parseLong(arg(args, "--max-lifetime-s", "3600"));

        Configuration config = new Configuration();
        config.setHostname("0.0.0.0");
        config.setPort(port);
        config.setBossThreads(1);
        config.setWorkerThreads(threads);
        config.setPingInterval(25_000);
        config.setPingTimeout(20_000);
        config.setMaxFramePayloadLength(1_000_000);
        config.setMaxHttpContentLength(1_000_000);
        config.setWebsocketCompression(false);
        config.setHttpCompression(false);
        config.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        config.setUseLinuxNativeEpoll(true);
        config.setAckMode(AckMode.MANUAL);
        SocketConfig socket = new SocketConfig();
        socket.setAcceptBackLog(4096);
        socket.setTcpNoDelay(true);
        socket.setReuseAddress(true);
        config.setSocketConfig(socket);

        SocketIOServer server = new SocketIOServer(config);
        AtomicInteger connections = new AtomicInteger();
        server.addConnectListener(client -> connections.incrementAndGet());
        server.addDisconnectListener(client -> connections.decrementAndGet());
        server.addEventListener("join", String.class, (client, room, ack) -> {
            client.joinRoom(room);
            ack.sendAckData();
        });
        server.addEventListener("publish", Map.class, (client, message, ack) -> {
            if (message.get("room") instanceof String room) {
                server.getRoomOperations(room).sendEvent("msg", message);
            }
            if (ack.isAckRequested()) {
                ack.sendAckData();
            }
        });
        server.addEventListener("echo", Map.class, (client, message, ack) -> ack.sendAckData(message));
        server.start();

        System.out.println("READY " + port);
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeS * 1000);
                System.err.println("peer: lifetime limit reached, exiting");
                server.stop();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // daemon thread: not reached
            }
        }, "peer-lifetime");
        watchdog.setDaemon(true);
        watchdog.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("QUIT")) {
                if (line.trim().equals("MEM")) {
                    System.gc();
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("MEM heap=" + heap + " rss=" + rssBytes() + " conns=" + connections.get());
                    System.out.flush();
                }
            }
        } catch (IOException e) {
            // runner gone
        }
        server.stop();
        Runtime.getRuntime().halt(0);
    }

    private static long rssBytes() {
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

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
