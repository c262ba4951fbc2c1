package io.sockeye.protocol.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Engine.IO packets as the transports hand them over: one WebSocket text frame, one polling request
 * body. Contract: packets or a {@link ProtocolException}, nothing else; what decodes encodes back to
 * the same packets; allocation in proportion to the input. Seeds: the official Engine.IO suite's
 * packets and the unit tests' ({@code EngineCodecFuzzTestInputs/<method>/}).
 */
class EngineCodecFuzzTest {

    @FuzzTest
    void websocketTextFrame(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        FuzzContract.boundedAllocation(input.length, 16, () -> {
            EnginePacket packet;
            try {
                packet = EngineCodec.decodeText(frame);
            } catch (ProtocolException refused) {
                return;
            }
            if (!EngineCodec.encodeText(packet).equals(frame)) {
                throw new AssertionError("text packet does not encode back to its frame: " + packet);
            }
        });
    }

    @FuzzTest
    void pollingPayload(byte[] input) {
        FuzzContract.boundedAllocation(input.length, 64, () -> {
            List<EnginePacket> packets;
            try {
                packets = EngineCodec.decodePayload(input);
            } catch (ProtocolException refused) {
                return;
            }
            List<EnginePacket> again = EngineCodec.decodePayload(EngineCodec.encodePayload(packets));
            if (again.size() != packets.size()) {
                throw new AssertionError("payload of " + packets.size() + " packets re-decodes to " + again.size());
            }
            for (int i = 0; i < packets.size(); i++) {
                if (!samePacket(packets.get(i), again.get(i))) {
                    throw new AssertionError("packet " + i + " changed in a round trip: " + packets.get(i)
                            + " became " + again.get(i));
                }
            }
        });
    }

    private static boolean samePacket(EnginePacket a, EnginePacket b) {
        return a.type() == b.type() && Objects.equals(a.text(), b.text()) && Arrays.equals(a.binary(), b.binary());
    }
}
