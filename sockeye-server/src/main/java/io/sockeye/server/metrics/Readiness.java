package io.sockeye.server.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this node should get new connections, as {@code GET /readyz} reports it: not while it
 * warms up after the start, not while it drains, and not while a configured cluster bus is unreachable
 * or has yet to confirm this node's subscriptions (a client connected here would miss what other
 * nodes publish). The application flips it; {@link PrometheusMetrics} also flips the bus
 * state when an adapter backend reports it. Thread-safe.
 *
 * <p>Liveness ({@code /healthz}) is separate and does not depend on any of this: a draining or
 * disconnected node is still alive and must not be restarted for it.
 */
public final class Readiness {

    private volatile boolean draining;
    private volatile boolean warmingUp;
    private volatile boolean busConfigured;
    private volatile boolean busUp;
    private volatile boolean subscriptionsPending;
    private volatile String busDetail = "";
    private volatile java.util.function.BooleanSupplier busProbe;

    /** A drain began (or was cancelled). */
    public void setDraining(boolean draining) {
        this.draining = draining;
    }

    /**
     * A cluster bus is configured: {@code /readyz} shows its state from now on. It counts as up until
     * {@link #setClusterBus} says otherwise (the adapter fails the start when it cannot connect at all,
     * and reports later losses), so a backend that never reports cannot keep the node out of service.
     */
    public void clusterBusConfigured(String detail) {
        this.busDetail = detail == null ? "" : detail;
        this.busUp = true;
        this.busConfigured = true;
    }

    /**
     * The cluster bus is reachable or not. Also marks a bus as configured.
     *
     * @param detail short and free of secrets, e.g. {@code "redis: connection refused"}
     */
    public void setClusterBus(boolean up, String detail) {
        this.busUp = up;
        this.busDetail = detail == null ? "" : detail;
        this.busConfigured = true;
    }

    /**
     * A configured cluster bus whose state is read live from {@code isUp} (e.g. the adapter factory's
     * connection state) each time readiness is asked.
     */
    public void watchClusterBus(java.util.function.BooleanSupplier isUp, String detail) {
        this.busDetail = detail == null ? "" : detail;
        this.busProbe = isUp;
        this.busConfigured = true;
    }

    /**
     * Whether the cluster bus has yet to confirm this node's subscriptions: until it has, a broadcast
     * another node publishes would not reach the clients connected here.
     */
    public void setClusterSubscriptionsPending(boolean pending) {
        this.subscriptionsPending = pending;
    }

    public boolean clusterSubscriptionsPending() {
        return subscriptionsPending;
    }

    private boolean busUp() {
        java.util.function.BooleanSupplier probe = busProbe;
        return probe != null ? probe.getAsBoolean() : busUp;
    }

    /** The start-up warm-up began (true) or is over (false); the node is not ready during it. */
    public void setWarmingUp(boolean warmingUp) {
        this.warmingUp = warmingUp;
    }

    public boolean warmingUp() {
        return warmingUp;
    }

    public boolean draining() {
        return draining;
    }

    /** Whether new connections are welcome here. */
    public boolean ready() {
        return !draining && !warmingUp && !subscriptionsPending && (!busConfigured || busUp());
    }

    /** Why the node is not ready, in a few words each; empty when it is. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>(4);
        if (warmingUp) {
            out.add("warming up");
        }
        if (draining) {
            out.add("draining");
        }
        if (busConfigured && !busUp()) {
            out.add("cluster bus unreachable");
        }
        if (subscriptionsPending) {
            out.add("cluster subscriptions pending");
        }
        return out;
    }

    /** The {@code /readyz} body: {@code {"ready":..,"status":..,"reasons":[..],"checks":{..}}}. */
    public Status status() {
        String bus = !busConfigured ? "none" : busUp() ? "up" : "down";
        return new Status(ready(), ready() ? "ready" : "not ready", reasons(), draining, bus, busDetail);
    }

    /**
     * What {@code /readyz} answers.
     *
     * @param clusterBus {@code none} (single node), {@code up} or {@code down}
     */
    public record Status(boolean ready, String status, List<String> reasons, boolean draining, String clusterBus,
                         String clusterBusDetail) {
    }
}
