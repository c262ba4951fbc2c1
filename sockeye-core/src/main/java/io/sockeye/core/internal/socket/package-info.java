/**
 * The Socket.IO v5 server layer above the Engine.IO session: one {@code Client} per connection
 * (decoding, connection rules, namespace multiplexing), {@code NamespaceImpl}/{@code SocketImpl}
 * behind the public API, acks, middleware chains and per-socket handler dispatch. Internal.
 */
package io.sockeye.core.internal.socket;
