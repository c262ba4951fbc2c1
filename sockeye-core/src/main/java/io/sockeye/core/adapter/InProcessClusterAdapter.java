package io.sockeye.core.adapter;

import io.sockeye.core.recovery.RecoveryBackend;
import io.sockeye.core.recovery.RecoveryContext;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link ClusterAdapter} backend for an {@link InProcessBus}. With heartbeats disabled in its
 * options it counts servers with the bus's subscriber count instead, like a Redis backend using
 * {@code PUBSUB NUMSUB}.
 */
public class InProcessClusterAdapter extends ClusterAdapter {

    private final InProcessBus bus;

    public InProcessClusterAdapter(NamespaceContext namespace, InProcessBus bus, ClusterAdapterOptions options) {
        super(namespace, options);
        this.bus = bus;
    }

    @Override
    protected CompletableFuture<Void> doInit() {
        bus.subscribe(this);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletableFuture<Void> doClose() {
        bus.unsubscribe(this);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    protected CompletableFuture<String> doPublish(ClusterMessage message) {
        return CompletableFuture.completedFuture(bus.publish(this, message));
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        bus.publishResponse(this, requesterUid, response);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        if (options().heartbeatsEnabled()) {
            return super.serverCount();
        }
        return CompletableFuture.completedFuture(bus.subscriberCount(namespace.name()));
    }

    /** On a bus {@link InProcessBus#withSharedRecovery() with shared recovery}, its shared stores; else node-local ones. */
    @Override
    protected RecoveryBackend newRecoveryBackend(RecoveryContext context) {
        RecoveryBackend shared = bus.recovery(this, context);
        return shared != null ? shared : super.newRecoveryBackend(context);
    }

    void receive(ClusterMessage message, String offset) {
        onMessage(message, offset);
    }
}
