package io.sockeye.server.gateway.proxy;

import java.util.Locale;

/**
 * The calls the gateway makes to an HTTP backend. Only the idempotent ones are retried: asking again who a
 * connection is, whether its session goes on or whether it may subscribe changes nothing on the backend,
 * while a publish (the backend may store it) or an rpc (a command) might be carried out twice.
 */
public enum ProxyKind {
    CONNECT(true),
    REFRESH(true),
    SUBSCRIBE(true),
    PUBLISH(false),
    RPC(false);

    private final boolean idempotent;

    ProxyKind(boolean idempotent) {
        this.idempotent = idempotent;
    }

    /** Whether a failed call may be sent again. */
    public boolean idempotent() {
        return idempotent;
    }

    /** The configuration and metrics spelling: {@code connect}, {@code rpc}... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
