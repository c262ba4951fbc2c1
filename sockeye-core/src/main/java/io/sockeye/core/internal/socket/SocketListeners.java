package io.sockeye.core.internal.socket;

import io.sockeye.core.Ack;
import io.sockeye.core.AnyEventListener;
import io.sockeye.core.Args;
import io.sockeye.core.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The user listeners of one socket. Registration may happen on any thread and is rare; firing
 * happens on every event. So every collection is immutable and replaced whole on change
 * (copy-on-write under this object's lock), read with one volatile load, and absent until first
 * used: a socket with three handlers pays for one small array and three one-element arrays, not
 * for a concurrent map and a list per event. Firing catches and logs every exception with the
 * event name and socket id.
 */
final class SocketListeners {

    private static final Logger log = LoggerFactory.getLogger(SocketListeners.class);
    private static final Object[] NO_HANDLERS = {};

    private final String socketId;
    private final String namespace;
    // [event0, handlers0, event1, handlers1, ...]: few events per socket, so a linear scan. handlers is
    // the EventHandler itself when there is one (the usual case), an EventHandler[] when there are more.
    private volatile Object[] handlers = NO_HANDLERS;
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

    synchronized void on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        Object[] table = handlers;
        int i = indexOf(table, event);
        Object[] updated;
        if (i < 0) {
            updated = Arrays.copyOf(table, table.length + 2);
            updated[table.length] = event;
            updated[table.length + 1] = handler;
        } else {
            EventHandler[] list = handlers(table[i + 1]);
            EventHandler[] longer = Arrays.copyOf(list, list.length + 1);
            longer[list.length] = handler;
            updated = table.clone();
            updated[i + 1] = longer;
        }
        handlers = updated;
    }

    /** Removes one handler of {@code event} (its first registration), or all of them when {@code handler} is null. */
    synchronized void off(String event, EventHandler handler) {
        Object[] table = handlers;
        int i = indexOf(table, event);
        if (i < 0) {
            return;
        }
        EventHandler[] list = handlers(table[i + 1]);
        EventHandler[] remaining = handler == null ? new EventHandler[0] : without(list, handler);
        if (remaining.length == list.length) {
            return;
        }
        if (remaining.length > 0) {
            Object[] updated = table.clone();
            updated[i + 1] = remaining.length == 1 ? remaining[0] : remaining;
            handlers = updated;
            return;
        }
        Object[] updated = new Object[table.length - 2];
        System.arraycopy(table, 0, updated, 0, i);
        System.arraycopy(table, i + 2, updated, i, table.length - i - 2);
        handlers = updated;
    }

    private static EventHandler[] handlers(Object slot) {
        return slot instanceof EventHandler one ? new EventHandler[] {one} : (EventHandler[]) slot;
    }

    private static int indexOf(Object[] table, String event) {
        for (int i = 0; i < table.length; i += 2) {
            if (event.equals(table[i])) {
                return i;
            }
        }
        return -1;
    }

    private static EventHandler[] without(EventHandler[] list, EventHandler handler) {
        for (int i = 0; i < list.length; i++) {
            if (list[i].equals(handler)) {
                EventHandler[] shorter = new EventHandler[list.length - 1];
                System.arraycopy(list, 0, shorter, 0, i);
                System.arraycopy(list, i + 1, shorter, i, list.length - i - 1);
                return shorter;
            }
        }
        return list;
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

    // Immutable lists, replaced whole: List.of keeps one or two listeners in one small object.
    private static <T> List<T> add(List<T> list, T listener) {
        Objects.requireNonNull(listener, "listener");
        if (list == null) {
            return List.of(listener);
        }
        List<T> longer = new ArrayList<>(list.size() + 1);
        longer.addAll(list);
        longer.add(listener);
        return List.copyOf(longer);
    }

    // null removes every listener (socket.io's offAny() without argument); otherwise its first registration
    private static <T> List<T> remove(List<T> list, T listener) {
        if (list == null || listener == null) {
            return null;
        }
        List<T> shorter = new ArrayList<>(list);
        shorter.remove(listener);
        return shorter.isEmpty() ? null : List.copyOf(shorter);
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
        Object[] table = handlers;
        int i = indexOf(table, event);
        if (i < 0) {
            return false;
        }
        Object slot = table[i + 1];
        if (slot instanceof EventHandler one) {
            fire(one, event, args, ack);
        } else {
            for (EventHandler h : (EventHandler[]) slot) {
                fire(h, event, args, ack);
            }
        }
        return true;
    }

    private void fire(EventHandler h, String event, Args args, Ack ack) {
        try {
            h.handle(args, ack);
        } catch (Exception | LinkageError | AssertionError e) {
            log.warn("handler for event '{}' of socket {} (namespace {}) failed", event, socketId, namespace, e);
        }
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
