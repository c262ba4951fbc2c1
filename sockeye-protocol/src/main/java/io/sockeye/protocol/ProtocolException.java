package io.sockeye.protocol;

/**
 * Bytes from the network broke a rule of the Engine.IO or Socket.IO protocol. The message names the
 * rule; callers close the offending session with the protocol's close reason (usually
 * {@code parse error}) and never let this escape to other connections.
 */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
