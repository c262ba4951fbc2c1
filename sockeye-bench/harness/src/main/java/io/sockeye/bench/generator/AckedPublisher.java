package io.sockeye.bench.generator;

/** Keeps {@code window} acknowledged publishes in flight until {@code count} are acknowledged. */
final class AckedPublisher implements LoadConnection.AckListener {
    final java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
    private final LoadConnection connection;
    private final long count;
    private final int window;
    private final Payloads payloads;
    private long sent;
    private long acked;

    AckedPublisher(LoadConnection connection, long count, int window, Payloads payloads) {
        this.connection = connection;
        this.count = count;
        this.window = Math.max(1, window);
        this.payloads = payloads;
    }

    void start() {
        connection.publishAcks(this);
        fill();
    }

    private void fill() {
        while (sent < count && sent - acked < window) {
            connection.writeAckedPublish(payloads, EpochClock.nanos());
            sent++;
        }
        connection.channel().flush();
    }

    @Override
    public void acked() {
        acked++;
        if (acked >= count) {
            connection.publishAcks(null);
            done.complete(acked);
        } else {
            fill();
        }
    }
}
