package io.sockeye.core.adapter;

/** The in-memory adapter passes the kit as a one-node cluster; multi-node tests are skipped. */
class InMemoryAdapterConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new ClusterNodeFactory() {
            @Override
            public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
                return AdapterFactory.inMemory().create(namespace);
            }

            @Override
            public int maxNodes() {
                return 1;
            }

            @Override
            public void kill(Adapter node) {
                throw new UnsupportedOperationException("a single node has nobody to be cut off from");
            }

            @Override
            public RecoveryMode recovery() {
                return RecoveryMode.NODE_LOCAL;
            }

            @Override
            public void close() {
            }
        };
    }
}
