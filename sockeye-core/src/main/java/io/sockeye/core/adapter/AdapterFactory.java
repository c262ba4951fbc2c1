package io.sockeye.core.adapter;

/**
 * Creates the {@link Adapter} of each namespace. The server calls it once per namespace, then
 * {@link Adapter#init()}; on shutdown it calls {@link Adapter#close()}.
 */
@FunctionalInterface
public interface AdapterFactory {

    Adapter create(NamespaceContext namespace);

    /** The default: one {@link InMemoryAdapter} per namespace (single node). */
    static AdapterFactory inMemory() {
        return InMemoryAdapter::new;
    }
}
