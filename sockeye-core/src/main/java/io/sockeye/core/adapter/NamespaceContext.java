package io.sockeye.core.adapter;

import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacketEncoder;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The namespace an {@link Adapter} serves, as the adapter sees it. Implemented by the Socket.IO
 * layer's namespace. Every method is thread-safe and non-blocking.
 */
public interface NamespaceContext {

    /** The namespace name, e.g. {@code "/"} or {@code "/chat"}. */
    String name();

    /** The connected socket with this id on this node, or {@code null}. */
    LocalSocket socket(String id);

    /** The connected sockets of this node (a weakly consistent live view or a snapshot). */
    Collection<? extends LocalSocket> sockets();

    /** The server's encoder for the packets of JSON connections (socket.io's default parser). */
    SocketPacketEncoder encoder();

    /** The server's encoder for the packets of msgpack connections (socket.io-msgpack-parser). */
    MsgpackPacketEncoder msgpackEncoder();

    /**
     * Where the namespace's server reports metrics ({@link SockeyeMetrics#NOOP} when it records none):
     * the adapter reports its broadcasts' fan-out here, and a cluster adapter its bus traffic.
     */
    SockeyeMetrics metrics();

    /**
     * The next acknowledgement id of this namespace (socket.io's {@code nsp._ids++}). A broadcast
     * with acks takes one id and shares it among all its local recipients.
     */
    long nextAckId();

    /**
     * A {@code serverSideEmit} from another node: {@code packet} is {@code [event, ...args]}. When the
     * sender waits for acknowledgements, {@code ackOrNull} is non-null and takes the reply (socket.io
     * transmits one value per node); calling it more than once has no effect. Must not block: run user
     * listeners on the server's handler executor.
     */
    void onServerSideEmit(List<Object> packet, Consumer<Object> ackOrNull);
}
