package io.sockeye.tests.interop;

import io.sockeye.core.Ack;
import io.sockeye.core.Args;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.ConnectError;
import io.sockeye.core.Namespace;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of the interop scenarios: what the real clients (npm {@code socket.io-client},
 * {@code io.socket:socket.io-client}) talk to. Namespaces {@code /} and {@code /custom} share every
 * handler below; {@code /private} sits behind a middleware.
 *
 * <table>
 * <caption>Events</caption>
 * <tr><th>event (client → server)</th><th>what the server does</th></tr>
 * <tr><td>(on connection)</td><td>emits {@code auth} with the CONNECT payload, like the protocol suite's reference server</td></tr>
 * <tr><td>{@code message}</td><td>emits {@code message-back} with the same arguments</td></tr>
 * <tr><td>{@code message-with-ack}</td><td>acknowledges with the same arguments</td></tr>
 * <tr><td>{@code never-ack}</td><td>nothing: the client's ack must time out</td></tr>
 * <tr><td>{@code describe}</td><td>acks with the decoded Java shape of each argument ({@code "bytes:0a0b"}, {@code "Integer"}, maps/lists kept)</td></tr>
 * <tr><td>{@code ask-me} (value, timeoutMs)</td><td>{@code emitWithAck("server-question", value)}; then emits {@code server-got-answer} with the reply, or {@code server-ack-timeout}</td></tr>
 * <tr><td>{@code binary-from-server}</td><td>emits {@code binary} with byte arrays nested in maps and lists; acks {@code {ack: bytes}} if asked</td></tr>
 * <tr><td>{@code join} / {@code leave} (room)</td><td>joins / leaves, then acks</td></tr>
 * <tr><td>{@code broadcast} ({via: "io"|"socket", to: [], except: [], event, data, marker})</td><td>broadcasts, then emits {@code marker} to the whole namespace, then acks</td></tr>
 * <tr><td>{@code kick-me} / {@code kick-me-hard}</td><td>{@code socket.disconnect()} / {@code socket.disconnect(true)}</td></tr>
 * <tr><td>{@code disconnect-reason} (socket id)</td><td>acks with the server-side disconnect reason of that socket, or null</td></tr>
 * <tr><td>{@code which-namespace}</td><td>acks with the namespace name</td></tr>
 * <tr><td>{@code which-transport}</td><td>acks with the server's view of the transport: {@code polling} or {@code websocket}</td></tr>
 * <tr><td>{@code server-generation}</td><td>acks with how many times the server was started (1 for the first)</td></tr>
 * <tr><td>{@code server:restart}</td><td>stops the whole server and starts a new one on the same port</td></tr>
 * </table>
 */
final class InteropApp {

    /** What the app may ask of the process hosting it. */
    interface Control {
        /** 1 for the first server, +1 per restart. */
        int generation();

        /** Stops the server and starts a fresh one on the same port, from another thread. */
        void restartSoon();
    }

    /** Test-friendly heartbeat: a silent network is noticed within 6 s, a pause of a loaded machine is not. */
    static ServerOptions options() {
        return ServerOptions.builder()
                .pingInterval(Duration.ofMillis(1000))
                .pingTimeout(Duration.ofMillis(5000))
                .build();
    }

    private final Control control;
    /** Server-side disconnect reasons by socket id, for scenarios that check both ends of a disconnect. */
    private final Map<String, String> disconnectReasons = new ConcurrentHashMap<>();

    private InteropApp(Control control) {
        this.control = control;
    }

    /** A Socket.IO server with the interop handlers installed. */
    static SocketIoServer create(ServerOptions options, Control control) {
        SocketIoServer io = SocketIoServer.create(options);
        InteropApp app = new InteropApp(control);
        app.install(io.of("/"));
        app.install(io.of("/custom"));
        app.installPrivate(io.of("/private"));
        return io;
    }

    private void install(Namespace nsp) {
        nsp.on("connection", socket -> {
            socket.onDisconnect(reason -> disconnectReasons.put(socket.id(), reason));
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("never-ack", (args, ack) -> { });
            socket.on("describe", (args, ack) -> ack.send(describe(args.list())));
            socket.on("ask-me", (args, ack) -> askClient(socket, args));
            socket.on("binary-from-server", (args, ack) -> sendBinary(socket, ack));
            socket.on("join", (args, ack) -> {
                socket.join(args.getString(0));
                ack.send();
            });
            socket.on("leave", (args, ack) -> {
                socket.leave(args.getString(0));
                ack.send();
            });
            socket.on("broadcast", (args, ack) -> {
                broadcast(socket, args.as(0, BroadcastSpec.class));
                ack.send();
            });
            socket.on("kick-me", (args, ack) -> socket.disconnect());
            socket.on("kick-me-hard", (args, ack) -> socket.disconnect(true));
            socket.on("disconnect-reason", (args, ack) -> ack.send(disconnectReasons.get(args.getString(0))));
            socket.on("which-namespace", (args, ack) -> ack.send(socket.namespace().name()));
            socket.on("which-transport", (args, ack) -> ack.send(socket.transport()));
            socket.on("server-generation", (args, ack) -> ack.send(control.generation()));
            socket.on("server:restart", (args, ack) -> control.restartSoon());
        });
    }

    /** {@code /private}: only a CONNECT whose auth carries {@code token: "secret"} gets through. */
    private void installPrivate(Namespace nsp) {
        nsp.use((socket, next) -> {
            Object token = socket.handshake().auth().get("token");
            if ("secret".equals(token)) {
                next.proceed();
            } else {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("reason", "bad token");
                data.put("token", token);
                next.reject(new ConnectError("not authorized", data));
            }
        });
        nsp.on("connection", socket -> {
            socket.onDisconnect(reason -> disconnectReasons.put(socket.id(), reason));
            socket.emit("welcome", Map.of("namespace", socket.namespace().name()));
        });
    }

    /** Server → client ack round trip: the reply (or the timeout) is reported back as an event. */
    private static void askClient(Socket socket, Args args) {
        Object value = args.get(0);
        long timeoutMs = args.size() > 1 ? args.as(1, Long.class) : 5000;
        socket.timeout(Duration.ofMillis(timeoutMs)).emitWithAck("server-question", value)
                .whenComplete((reply, error) -> {
                    if (error == null) {
                        socket.emit("server-got-answer", reply.toArray());
                    } else {
                        socket.emit("server-ack-timeout", String.valueOf(error.getMessage()));
                    }
                });
    }

    private static void sendBinary(Socket socket, Ack ack) {
        List<Object> list = new ArrayList<>();
        list.add(new byte[] {4, 5});
        list.add("text");
        list.add(new byte[0]);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("single", new byte[] {1, 2, 3});
        payload.put("list", list);
        payload.put("nested", Map.of("deep", new byte[] {(byte) 255, 0}));
        socket.emit("binary", payload, new byte[] {6});
        if (ack.requested()) {
            ack.send(Map.of("ack", new byte[] {7, 7, 7}));
        }
    }

    /** The {@code broadcast} event's argument. Rooms may be socket ids (every socket is in its own room). */
    record BroadcastSpec(String via, List<String> to, List<String> except, String event, Object data, Object marker) {
    }

    private static void broadcast(Socket socket, BroadcastSpec spec) {
        boolean fromSocket = "socket".equals(spec.via());
        String[] to = spec.to() == null ? new String[0] : spec.to().toArray(String[]::new);
        String[] except = spec.except() == null ? new String[0] : spec.except().toArray(String[]::new);
        Namespace nsp = socket.namespace();
        if (to.length == 0 && except.length == 0) {
            if (fromSocket) {
                socket.broadcast().emit(spec.event(), spec.data());
            } else {
                nsp.emit(spec.event(), spec.data());
            }
        } else {
            BroadcastOperator op;
            if (to.length > 0) {
                op = fromSocket ? socket.to(to) : nsp.to(to);
                if (except.length > 0) {
                    op = op.except(except);
                }
            } else {
                op = fromSocket ? socket.except(except) : nsp.except(except);
            }
            op.emit(spec.event(), spec.data());
        }
        // Same connection, same order: once a client has the marker it has the broadcast, if it was meant to.
        nsp.emit("marker", spec.marker());
    }

    /** The Java shape of decoded arguments, so clients can check what the server really got. */
    static Object describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), describe(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(describe(v)));
            return out;
        }
        return value.getClass().getSimpleName();
    }
}
