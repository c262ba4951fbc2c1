package io.sockeye.core;

import io.sockeye.core.metrics.RecordingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a binary packet may hold while its attachments arrive: text and attachments together within
 * maxHttpBufferSize, all of them within binaryPacketTimeout, and within the server's
 * maxPendingAttachmentBytes over all connections. Past any of them only the offending connection closes.
 */
class BinaryPacketLimitsTest {

    private static final String TWO_ATTACHMENTS =
            "52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]";

    private final RecordingMetrics metrics = new RecordingMetrics();
    private SocketIoHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private void start(UnaryOperator<ServerOptions.Builder> options) {
        harness = new SocketIoHarness(b -> options.apply(b.metrics(metrics)));
        harness.io.on("connection", socket -> socket.on("upload", (args, ack) ->
                socket.emit("received", args.size())));
    }

    private long pendingBytes() {
        return metrics.gauges.stream().mapToLong(g -> g.pendingAttachmentBytes()).sum();
    }

    @Test
    void aPacketWhoseAttachmentsTogetherPassMaxHttpBufferSizeClosesOnlyItsConnection() {
        start(b -> b.maxHttpBufferSize(1000));
        InMemoryEngineSocket other = harness.connect("/");
        InMemoryEngineSocket sender = harness.connect("/");
        sender.receive(TWO_ATTACHMENTS);
        sender.receiveBinary(new byte[600]);
        sender.receiveBinary(new byte[600]); // each within the limit, not together

        assertThat(sender.awaitClosed()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
        assertThat(metrics.count("binaryPacketRefused", "packet_too_large")).isEqualTo(1);
        other.receive(TWO_ATTACHMENTS);
        other.receiveBinary(new byte[400]);
        other.receiveBinary(new byte[400]);
        assertThat(other.nextText()).isEqualTo("2[\"received\",2]");
        assertThat(pendingBytes()).isZero();
    }

    @Test
    void aPacketWhoseLastAttachmentNeverArrivesClosesItsConnectionAfterBinaryPacketTimeout() {
        start(b -> b.binaryPacketTimeout(Duration.ofMillis(100)));
        InMemoryEngineSocket sender = harness.connect("/");
        sender.receive(TWO_ATTACHMENTS);
        sender.receiveBinary(new byte[1000]);

        assertThat(sender.awaitClosed()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
        assertThat(metrics.count("binaryPacketRefused", "binary_packet_timeout")).isEqualTo(1);
        assertThat(pendingBytes()).isZero();
    }

    @Test
    void theConnectionThatWouldPassTheServersPendingAttachmentBytesIsClosedAndTheOthersComplete() {
        start(b -> b.maxPendingAttachmentBytes(2000));
        InMemoryEngineSocket first = harness.connect("/");
        InMemoryEngineSocket second = harness.connect("/");
        first.receive(TWO_ATTACHMENTS);
        first.receiveBinary(new byte[1500]);
        first.settle();
        assertThat(pendingBytes()).isEqualTo(TWO_ATTACHMENTS.length() + 1500);

        second.receive(TWO_ATTACHMENTS);
        second.receiveBinary(new byte[600]);
        assertThat(second.awaitClosed()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
        assertThat(metrics.count("binaryPacketRefused", "pending_attachments_limit")).isEqualTo(1);

        first.receiveBinary(new byte[100]);
        assertThat(first.nextText()).isEqualTo("2[\"received\",2]");
        assertThat(pendingBytes()).isZero();
    }

    @Test
    void theBytesOfAnIncompletePacketAreGivenBackWhenItsConnectionCloses() {
        start(b -> b);
        InMemoryEngineSocket sender = harness.connect("/");
        sender.receive(TWO_ATTACHMENTS);
        sender.receiveBinary(new byte[700]);
        sender.settle();
        assertThat(pendingBytes()).isEqualTo(TWO_ATTACHMENTS.length() + 700);

        sender.transportClosed(DisconnectReason.TRANSPORT_CLOSE);
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingBytes() == 0);
    }
}
