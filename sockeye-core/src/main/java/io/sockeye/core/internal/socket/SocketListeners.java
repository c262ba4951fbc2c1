package io.sockeye.core.internal.socket;

import io.sockeye.core.Ack;
import io.sockeye.core.AnyEventListener;
import io.sockeye.core.Args;
import io.sockeye.core.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The user listeners of one socket. Registration may happen on any thread (copy-on-write lists:
 * listeners are added rarely and read on every event); each collection is created on first use so a
 * socket that never registers one pays nothing for it. Firing catches and logs every exception with
 * the event name and socket id.
 */
final class SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(SocketListeners.class);

    private final String socketId;
    private final String namespace;
    private volatile Map<String, List<EventHandler>> handlers;
    private volatile List<AnyEventListener> any;
    private volatile List<AnyEventListener> outgoing;
    private volatile List<Consumer<Exception>> errors;
    private volatile List<Consumer<String>> disconnecting;
    private volatile List<Consumer<String>> disconnect;

    SocketListeners(String socketId, String namespace) {
        this.socketId = socketId;
        this.namespace = namespace;
    }

    // ---- registration ------------------------------------------------------------------------

    void on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        Map<String, List<EventHandler>> map = handlers;
        if (map == null) {
            synchronized (this) {
                if (handlers == null) {
                    handlers = new ConcurrentHashMap<>();
                }
                map = handlers;
            }
        }
        map.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    }

    void off(String event, EventHandler handler) {
        Map<String, List<EventHandler>> map = handlers;
        if (map == null) {
            return;
        }
        if (handler == null) {
            map.remove(event);
        } else {
            List<EventHandler> list = map.get(event);
            if (list != null) {
                list.remove(handler);
            }
        }
    }

    synchronized void onAny(AnyEventListener l) {
        any = add(any, l);
    }

    synchronized void offAny(AnyEventListener l) {
        any = remove(any, l);
    }

    synchronized void onAnyOutgoing(AnyEventListener l) {
        outgoing = add(outgoing, l);
    }

    synchronized void offAnyOutgoing(AnyEventListener l) {
        outgoing = remove(outgoing, l);
    }

    synchronized void onError(Consumer<Exception> l) {
        errors = add(errors, l);
    }

    synchronized void onDisconnecting(Consumer<String> l) {
        disconnecting = add(disconnecting, l);
    }

    synchronized void onDisconnect(Consumer<String> l) {
        disconnect = add(disconnect, l);
    }

    private static <T> List<T> add(List<T> list, T listener) {
        Objects.requireNonNull(listener, "listener");
        List<T> l = list == null ? new CopyOnWriteArrayList<>() : list;
        l.add(listener);
        return l;
    }

    // null removes every listener (socket.io's offAny() without argument)
    private static <T> List<T> remove(List<T> list, T listener) {
        if (list == null || listener == null) {
            return null;
        }
        list.remove(listener);
        return list;
    }

    // ---- firing (on the socket's handler dispatcher) -----------------------------------------

    boolean hasOutgoing() {
        List<AnyEventListener> l = outgoing;
        return l != null && !l.isEmpty();
    }

    void fireAny(String event, Args args) {
        fireAny(any, "onAny", event, args);
    }

    void fireOutgoing(String event, Args args) {
        fireAny(outgoing, "onAnyOutgoing", event, args);
    }

    private void fireAny(List<AnyEventListener> list, String kind, String event, Args args) {
        if (list == null) {
            return;
        }
        for (AnyEventListener l : list) {
            try {
                l.handle(event, args);
            } catch (Exception | LinkageError | AssertionError e) {
                log.warn("{} listener failed for event '{}' of socket {} (namespace {})", kind, event, socketId, namespace, e);
            }
        }
    }

    /** Runs the handlers of {@code event}; false when there are none. */
    boolean fireEvent(String event, Args args, Ack ack) {
        Map<String, List<EventHandler>> map = handlers;
        List<EventHandler> list = map == null ? null : map.get(event);
        if (list == null || list.isEmpty()) {
            return false;
        }
        for (EventHandler h : list) {
            try {
                h.handle(args, ack);
            } catch (Exception | LinkageError | AssertionError e) {
                log.warn("handler for event '{}' of socket {} (namespace {}) failed", event, socketId, namespace, e);
            }
        }
        return true;
    }

    void fireError(Exception error) {
        List<Consumer<Exception>> list = errors;
        if (list == null || list.isEmpty()) {
            log.warn("packet middleware rejected an event of socket {} (namespace {}) and no onError handler is set",
                    socketId, namespace, error);
            return;
        }
        log.debug("packet middleware rejected an event of socket {} (namespace {})", socketId, namespace, error);
        for (Consumer<Exception> l : list) {
            try {
                l.accept(error);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("error listener of socket {} (namespace {}) failed", socketId, namespace, e);
            }
        }
    }

    void fireDisconnecting(String reason) {
        fireReason(disconnecting, "disconnecting", reason);
    }

    void fireDisconnect(String reason) {
        fireReason(disconnect, "disconnect", reason);
    }

    private void fireReason(List<Consumer<String>> list, String kind, String reason) {
        if (list == null) {
            return;
        }
        for (Consumer<String> l : list) {
            try {
                l.accept(reason);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("{} listener of socket {} (namespace {}) failed", kind, socketId, namespace, e);
            }
        }
    }
}
