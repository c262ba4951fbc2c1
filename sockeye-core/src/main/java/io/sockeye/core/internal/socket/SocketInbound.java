package io.sockeye.core.internal.socket;

import io.sockeye.core.Ack;
import io.sockeye.core.Args;
import io.sockeye.core.DisconnectReason;
import io.sockeye.core.PacketMiddleware;
import io.sockeye.protocol.socket.SocketPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What a socket does with the packets its client sends (socket.io's {@code Socket._onpacket}): events go
 * through the catch-all listeners, the packet middlewares and the handlers; acks complete what the
 * server awaited. Stateless: the state is the socket's.
 */
final class SocketInbound {

    private static final Logger log = LoggerFactory.getLogger(SocketInbound.class);

    private SocketInbound() {
    }

    /** A packet for {@code socket}'s namespace, on the event loop. */
    static void onPacket(SocketImpl socket, SocketPacket packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(socket, packet);
            case ACK, BINARY_ACK -> onAck(socket, packet);
            case DISCONNECT -> socket.onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
            default -> log.debug("ignoring {} packet for socket {}", packet.type(), socket.id());
        }
    }

    private static void onEvent(SocketImpl socket, SocketPacket packet) {
        ServerContext server = socket.server();
        List<Object> all = packet.args();
        String event = Emits.eventName(all.get(0));
        server.metrics().eventReceived(socket.namespace().name(), event);
        Args args = server.args(all.subList(1, all.size()));
        long ackId = packet.id();
        Ack ack = packet.hasId() ? new AckImpl(values -> sendAck(socket, ackId, values)) : AckImpl.NONE;
        socket.dispatcher().execute(() -> dispatchEvent(socket, event, args, ack));
    }

    // socket.io's onevent + dispatch: catch-all listeners, then the middlewares, then the handlers.
    private static void dispatchEvent(SocketImpl socket, String event, Args args, Ack ack) {
        SocketListeners listeners = socket.listeners();
        listeners.fireAny(event, args);
        List<PacketMiddleware> chain = socket.packetMiddlewares();
        if (chain == null || chain.isEmpty()) {
            deliver(socket, event, args, ack);
            return;
        }
        new MiddlewareChain<>(List.copyOf(chain), (mw, next) -> mw.handle(event, args, next), error -> {
            if (error != null) {
                listeners.fireError(error);
            } else {
                deliver(socket, event, args, ack);
            }
        }, socket.dispatcher()).start();
    }

    private static void deliver(SocketImpl socket, String event, Args args, Ack ack) {
        if (!socket.connected()) {
            log.debug("ignoring event '{}' received by socket {} after disconnection", event, socket.id());
            return;
        }
        if (!socket.listeners().fireEvent(event, args, ack)) {
            log.trace("no handler for event '{}' of socket {}", event, socket.id());
        }
    }

    private static void onAck(SocketImpl socket, SocketPacket packet) {
        AckTable acks = socket.awaitedAcks();
        if (acks == null || !acks.complete(packet.id(), packet.args())) {
            log.debug("ignoring ack {} for socket {}: not awaited", packet.id(), socket.id());
        }
    }

    private static void sendAck(SocketImpl socket, long ackId, Object[] args) {
        Client client = socket.client();
        OutgoingPacket encoded = client.encode(SocketPacket.ack(socket.namespace().name(), ackId, Emits.ackData(args)));
        client.runOnLoop(() -> {
            if (socket.connected()) {
                client.write(encoded, false);
            }
        });
    }
}
