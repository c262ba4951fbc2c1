package io.sockeye.core;

/**
 * The Socket.IO packet format a server speaks ({@link ServerOptions.Builder#parser}). Clients must use
 * the matching parser: socket.io-client's default for {@link #JSON}, socket.io-msgpack-parser 3.x for
 * {@link #MSGPACK}; {@link #AUTO} takes either.
 */
public enum Parser {
    /** socket.io's default parser (socket.io-parser): text packets, binary as attachments. */
    JSON,
    /**
     * socket.io-msgpack-parser 3.x: each packet one msgpack map in one binary message, binary inline
     * (rules in docs/protocol-notes.md, "msgpack parser").
     */
    MSGPACK,
    /**
     * Both on one port: each connection's parser is recognised from its first Socket.IO packet — a text
     * message means JSON, a binary message holding a msgpack map means msgpack — and kept for the life
     * of the connection (see docs/compatibility.md, "Parsers").
     */
    AUTO
}
