package io.sockeye.core.internal.socket;

import io.sockeye.core.Parser;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one connection's inbound messages into Socket.IO packets with the connection's parser (under
 * parser auto, recognised from its first message: text is JSON, a binary msgpack map is msgpack — see
 * docs/compatibility.md, "Parsers"), and bounds what a JSON binary packet may hold while its attachments
 * arrive: its text and attachments together stay within
 * {@code maxHttpBufferSize}, they must all arrive within {@code binaryPacketTimeout} (one wheel timer,
 * only while a packet is incomplete), and every byte held counts against the server's
 * {@code maxPendingAttachmentBytes}. Event loop only.
 */
final class InboundPackets {

    private static final Logger log = LoggerFactory.getLogger(InboundPackets.class);

    /** What the connection does with the outcome. */
    interface Sink {
        /** A complete packet; {@code bytes} counts its text and attachments. */
        void onPacket(SocketPacket packet, long bytes);

        /** The message broke the protocol: close with {@code parse error}. */
        void onParseError(String detail);

        /** A binary packet passed a limit ({@code binaryPacketRefused} reason): close with {@code transport error}. */
        void onRefused(String reason);
    }

    static final String TOO_LARGE = "packet_too_large";
    static final String TIMEOUT = "binary_packet_timeout";
    static final String NODE_LIMIT = "pending_attachments_limit";

    private final ServerContext server;
    private final EngineSocket engine;
    private final Sink sink;
    private final SocketPacketDecoder decoder;
    // JSON or MSGPACK; null under parser auto until the first message. Read by emitting threads.
    private volatile Parser parser;
    private long inboundBytes; // of the packet being decoded (text plus attachments so far), for metrics
    private long reserved; // counted in the server's pending attachment bytes
    private EngineTimer.Cancellable deadline;
    private int packetSeq; // tells a late deadline of a finished packet from the current one

    InboundPackets(ServerContext server, EngineSocket engine, Sink sink) {
        this.server = server;
        this.engine = engine;
        this.sink = sink;
        this.decoder = new SocketPacketDecoder(server.decoderLimits());
        Parser configured = server.options().parser();
        this.parser = configured == Parser.AUTO ? null : configured;
    }

    /** The connection's parser: JSON until the first message says otherwise under parser auto. */
    Parser parser() {
        Parser p = parser;
        return p == null ? Parser.JSON : p;
    }

    void onText(String text) {
        if (parser == Parser.MSGPACK) {
            // socket.io-msgpack-parser decodes every message as msgpack: a text message is none.
            sink.onParseError("a text message on a msgpack connection");
            return;
        }
        if (parser == null) {
            parser = Parser.JSON; // a JSON client's first packet is its text CONNECT
        }
        inboundBytes += text.length();
        SocketPacket packet;
        try {
            packet = decoder.decodeText(text);
        } catch (ProtocolException | IllegalArgumentException e) {
            sink.onParseError(e.getMessage());
            return;
        }
        if (packet != null) {
            complete(packet);
        } else if (reserve(decoder.pendingBytes())) {
            int seq = ++packetSeq;
            deadline = engine.schedule(() -> onDeadline(seq), server.options().binaryPacketTimeout().toMillis());
        }
    }

    void onBinary(byte[] data) {
        Parser p = parser;
        if (p == null) {
            // The first message: a msgpack client's CONNECT is a msgpack map; a JSON client starts with text.
            if (!MsgpackPacketDecoder.looksLikePacket(data)) {
                sink.onParseError("the first message is binary but no msgpack map");
                return;
            }
            parser = p = Parser.MSGPACK;
        }
        if (p == Parser.MSGPACK) {
            onMsgpack(data);
            return;
        }
        if (decoder.awaitingAttachments()) {
            // "maxHttpBufferSize" bounds a message; a binary packet is one message in several parts.
            if (decoder.pendingBytes() + data.length > server.options().maxHttpBufferSize()) {
                refuse(TOO_LARGE);
                return;
            }
            if (!reserve(data.length)) {
                return;
            }
        }
        inboundBytes += data.length;
        SocketPacket packet;
        try {
            packet = decoder.decodeBinary(data);
        } catch (ProtocolException | IllegalArgumentException e) {
            sink.onParseError(e.getMessage());
            return;
        }
        if (packet != null) {
            complete(packet);
        }
    }

    private void onMsgpack(byte[] data) {
        SocketPacket packet;
        try {
            packet = server.msgpackDecoder().decode(data);
        } catch (ProtocolException | IllegalArgumentException e) {
            sink.onParseError(e.getMessage());
            return;
        }
        sink.onPacket(packet, data.length);
    }

    /** Drops a partly received packet and gives its bytes back to the server. Idempotent. */
    void close() {
        decoder.reset();
        release();
    }

    private void complete(SocketPacket packet) {
        long bytes = inboundBytes;
        inboundBytes = 0;
        release();
        sink.onPacket(packet, bytes);
    }

    private boolean reserve(long bytes) {
        if (server.reservePendingAttachmentBytes(bytes)) {
            reserved += bytes;
            return true;
        }
        refuse(NODE_LIMIT);
        return false;
    }

    private void release() {
        if (reserved != 0) {
            server.releasePendingAttachmentBytes(reserved);
            reserved = 0;
        }
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }

    private void onDeadline(int seq) {
        if (seq == packetSeq && decoder.awaitingAttachments()) {
            deadline = null;
            refuse(TIMEOUT);
        }
    }

    private void refuse(String reason) {
        log.debug("session {}: binary packet refused ({}), {} bytes held", engine.id(), reason, decoder.pendingBytes());
        close();
        server.metrics().binaryPacketRefused(reason);
        sink.onRefused(reason);
    }
}
