package io.sockeye.core.adapter;

/** The in-process bus backend, with nodes tracked by heartbeats (the ClusterAdapter default). */
class InProcessClusterAdapterConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new InProcessNodes();
    }

    /** Every adapter on one {@link InProcessBus}; a kill is a {@link InProcessBus#disconnect}. */
    static final class InProcessNodes implements ClusterNodeFactory {
        private final InProcessBus bus;
        private final RecoveryMode recovery;

        InProcessNodes() {
            this(new InProcessBus(), RecoveryMode.NODE_LOCAL);
        }

        InProcessNodes(InProcessBus bus, RecoveryMode recovery) {
            this.bus = bus;
            this.recovery = recovery;
        }

        @Override
        public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
            return bus.adapterFactory(options).create(namespace);
        }

        @Override
        public void kill(Adapter node) {
            bus.disconnect(node);
        }

        @Override
        public RecoveryMode recovery() {
            return recovery;
        }

        @Override
        public void close() {
            bus.close();
        }
    }
}
