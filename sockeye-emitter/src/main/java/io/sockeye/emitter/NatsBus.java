package io.sockeye.emitter;

import io.nats.client.Connection;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.protocol.socket.SocketPacket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The wire of Sockeye's NATS adapter (see docs/clustering.md, NATS: Subjects and Messages on the wire):
 * socket.io's cluster messages ({@code {type, data, uid, nsp}}, JSON or msgpack when binary) on
 * {@code <prefix>.<nsp>.all}, which every node subscribes to in both subscription modes. The uid is
 * {@code "emitter"}, which nodes neither answer nor count as a node. Core NATS stores nothing: at most once,
 * like the adapter itself; a publish while disconnected fails.
 */
final class NatsBus implements EmitterBus {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final int MAX_TOKEN_LENGTH = 128;

    private final Connection connection;
    private final String prefix;
    private final ClusterMessageCodec codec;

    NatsBus(Connection connection, String prefix, ClusterMessageCodec codec) {
        this.connection = connection;
        this.prefix = prefix;
        this.codec = codec;
    }

    @Override
    public CompletableFuture<Void> broadcast(Target target, List<Object> eventAndArgs) {
        return send(target.nsp(), new ClusterPayload.Broadcast(SocketPacket.event(target.nsp(), eventAndArgs),
                opts(target), null));
    }

    @Override
    public CompletableFuture<Void> socketsJoin(Target target, Set<String> rooms) {
        return send(target.nsp(), new ClusterPayload.SocketsJoin(opts(target), rooms));
    }

    @Override
    public CompletableFuture<Void> socketsLeave(Target target, Set<String> rooms) {
        return send(target.nsp(), new ClusterPayload.SocketsLeave(opts(target), rooms));
    }

    @Override
    public CompletableFuture<Void> disconnectSockets(Target target, boolean close) {
        return send(target.nsp(), new ClusterPayload.DisconnectSockets(opts(target), close));
    }

    private static BroadcastOptions opts(Target target) {
        return new BroadcastOptions(target.rooms(), target.except(),
                target.isVolatile() ? new BroadcastFlags(true, false, false, null) : BroadcastFlags.NONE);
    }

    private CompletableFuture<Void> send(String nsp, ClusterPayload payload) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return CompletableFuture.failedFuture(new IllegalStateException("NATS connection is " + connection.getStatus()));
        }
        try {
            connection.publish(prefix + "." + token(nsp) + ".all", codec.encode(new ClusterMessage(SockeyeEmitter.UID, nsp, payload)));
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A namespace as one subject token, as the adapter writes it: ASCII letters, digits and {@code -} stay,
     * every other UTF-8 byte becomes {@code _XX}, the empty string {@code _}, and a token longer than 128
     * characters {@code _h} plus 128 bits of its SHA-256 in hex.
     */
    static String token(String value) {
        if (value.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (plain) {
                sb.append(c);
            } else {
                sb.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        if (sb.length() <= MAX_TOKEN_LENGTH) {
            return sb.toString();
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "_h" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        // the connection is the caller's
    }
}
