package io.sockeye.bench.soak;

/** How an {@link EioClient} reaches its server: a WebSocket, or a pair of long-polling HTTP connections. */
interface Transport {

    /** Sends one Engine.IO packet (its text, type digit first). */
    void send(String packet);

    /** Stops reading: a WebSocket stops reading its socket, a polling session stops polling. */
    void stopReading();

    /** Reads again after {@link #stopReading}. */
    void resumeReading();

    /** Ends the connection the protocol's way: a close frame, or a polling close packet. */
    void closeGracefully();

    /** Ends the connection without a word: a FIN, or with {@code reset} a TCP RST. */
    void abort(boolean reset);

    String name();
}
