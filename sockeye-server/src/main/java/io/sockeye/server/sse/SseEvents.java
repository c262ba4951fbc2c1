package io.sockeye.server.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.spi.transport.WireVariant;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketDecoder;
import io.sockeye.protocol.socket.SocketPacketType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO events as Server-Sent Events (docs/sse.md): {@code event: <name>} and one {@code data:} line of
 * JSON {@code {"data": <first argument>, "meta": <second argument, when an object>}}, ended by a blank line.
 * The {@code id:} line is the stream's, written in front by {@link SseStream}; it is the message's
 * {@code meta.offset}, kept in the {@link Frame}.
 *
 * <p>A broadcast's packet is shared by every recipient on an event loop, so its frame is made once per
 * loop ({@link #EVENT}) and each stream writes a share of it. Binary values become base64 strings.
 */
final class SseEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An event as an SSE frame, without its {@code id:} line; {@code body == null} for a packet that is no event to send. */
    record Frame(ByteBuf body, String offset) {
        static final Frame NONE = new Frame(null, null);

        void release() {
            if (body != null) {
                body.release();
            }
        }
    }

    /** The frame of a shared broadcast packet, made by the first SSE recipient on its loop. */
    static final WireVariant<Frame> EVENT = WireVariant.declare("sse event", Frame::release);

    private SseEvents() {
    }

    /** The frame of an EVENT packet's text ({@code 2[...]}), a share of it, made once per packet. */
    static Frame shared(OutboundPacket packet) {
        Frame frame = packet.prepared(EVENT);
        if (frame == null) {
            frame = of(new SocketPacketDecoder().decodeText(packet.text()));
            if (packet.hasOtherHolders()) {
                packet.prepare(EVENT, frame);
            } else {
                return frame; // the only holder: nobody to share with, the caller owns it
            }
        }
        return new Frame(frame.body == null ? null : frame.body.retainedDuplicate(), frame.offset);
    }

    /** The frame of a decoded (BINARY_)EVENT; {@link Frame#NONE} for anything else or an unsendable name. */
    static Frame of(SocketPacket packet) {
        if (packet == null || (packet.type() != SocketPacketType.EVENT && packet.type() != SocketPacketType.BINARY_EVENT)) {
            return Frame.NONE;
        }
        List<Object> args = packet.args();
        if (args.isEmpty() || !(args.get(0) instanceof String event) || !sendable(event)) {
            return Frame.NONE;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", args.size() > 1 ? args.get(1) : null);
        String offset = null;
        if (args.size() > 2 && args.get(2) instanceof Map<?, ?> meta) {
            data.put("meta", meta);
            if (meta.get("offset") instanceof String o) {
                offset = o;
            }
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("event data cannot be written as JSON: " + e.getOriginalMessage());
        }
        byte[] name = event.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = ByteBufAllocator.DEFAULT.directBuffer(name.length + json.length + 16);
        body.writeBytes(EVENT_FIELD).writeBytes(name).writeBytes(DATA_FIELD).writeBytes(json).writeBytes(END);
        return new Frame(body, offset != null && sendable(offset) ? offset : null);
    }

    /** Whether a value fits on one SSE field line (no line break, which would end the field). */
    static boolean sendable(String value) {
        return value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
    }

    /** {@code id: <offset>\n}. */
    static ByteBuf idLine(String offset) {
        return Unpooled.copiedBuffer("id: " + offset + "\n", StandardCharsets.UTF_8);
    }

    private static final byte[] EVENT_FIELD = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_FIELD = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
}
