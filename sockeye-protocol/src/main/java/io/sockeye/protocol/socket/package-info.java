/**
 * Socket.IO protocol v5 packets and their pure codecs: {@link io.sockeye.protocol.socket.SocketPacketEncoder}
 * (thread-safe, encodes once for any number of recipients) and {@link io.sockeye.protocol.socket.SocketPacketDecoder}
 * (one per connection, reassembles binary attachments). Wire rules follow socket.io-parser 4.2.6.
 */
package io.sockeye.protocol.socket;
