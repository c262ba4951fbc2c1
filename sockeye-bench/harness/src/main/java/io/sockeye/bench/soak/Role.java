package io.sockeye.bench.soak;

/** What a soak client does once connected, and so which source block its sockets come from. */
enum Role {
    /** Subscribes to chat rooms, publishes, changes rooms, asks presence; ends after its lifetime. */
    NORMAL(SourceClass.NORMAL),
    /** Does what NORMAL does, for the whole churn: one connection (WebSocket, or a polling pair) that lives long. */
    RESIDENT(SourceClass.NORMAL),
    /** Joins the bulk room and reads all of it, for a long life. */
    BULK_READER(SourceClass.NORMAL),
    /** Joins the bulk room, then stops reading; later reads again, resets, or stays stuck until the run ends. */
    SLOW_READER(SourceClass.SLOW_READER),
    /** Joins a chat room, then vanishes: never reads, never answers a ping, never closes. */
    VANISHED(SourceClass.VANISHED);

    final SourceClass source;

    Role(SourceClass source) {
        this.source = source;
    }

    /** Whether a failure of this client is an error (the misbehaving ones are expected to be cut off). */
    boolean wellBehaved() {
        return this == NORMAL || this == RESIDENT || this == BULK_READER;
    }
}
