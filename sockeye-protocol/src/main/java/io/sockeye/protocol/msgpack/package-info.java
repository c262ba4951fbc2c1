/**
 * The msgpack variant of the Socket.IO packet format, compatible with socket.io-msgpack-parser 3.x:
 * {@link io.sockeye.protocol.msgpack.MsgpackPacketEncoder} (thread-safe, writes the bytes a Node.js
 * server writes) and {@link io.sockeye.protocol.msgpack.MsgpackPacketDecoder} (stateless, strict). Each
 * packet is one msgpack map in one binary message; the wire rules are in docs/protocol-notes.md,
 * section "msgpack parser".
 */
package io.sockeye.protocol.msgpack;
