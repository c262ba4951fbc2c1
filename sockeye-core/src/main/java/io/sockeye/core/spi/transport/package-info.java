/**
 * The transport SPI: what a network transport implements and calls to serve an Engine.IO endpoint.
 * {@code sockeye-transport-netty} is the one shipped; another transport (an embedding in someone else's
 * HTTP server, say) uses only this package, {@link io.sockeye.core.RequestInfo} and
 * {@link io.sockeye.core.ServerOptions}.
 *
 * <p>The transport drives an {@link io.sockeye.core.spi.transport.EngineEndpoint}: it hands it every
 * request on the endpoint's path ({@code options().path()}), answers long-polling requests through an
 * {@link io.sockeye.core.spi.transport.HttpExchange}, and for a WebSocket gives the endpoint a
 * {@link io.sockeye.core.spi.transport.WebSocketChannel} to write to and reports the connection's
 * messages to the {@link io.sockeye.core.spi.transport.WebSocketInbound} it gets back. What the engine
 * writes arrives as {@link io.sockeye.core.spi.transport.OutboundPacket}s, prepared once per
 * {@link io.sockeye.core.spi.transport.WireVariant}.
 *
 * <p>Obligations of the transport:
 * <ol>
 *   <li><b>Verify first.</b> Every request on the endpoint's path goes to {@code verify} before anything
 *       else; a non-null {@link io.sockeye.core.spi.transport.EngineError.Rejection} is answered as is
 *       (its status and JSON body) and the request goes no further. CORS preflights ({@code OPTIONS}) and
 *       the transport's own limits (body size: answer 413 and {@code closeSession}) come before.</li>
 *   <li><b>Threading.</b> Every call into the endpoint is made on the event loop of the request's
 *       connection and never blocks; {@code handlePolling} gets that loop, which a new session is pinned
 *       to. {@code WebSocketInbound} calls may come from any thread, in the order the messages arrived.</li>
 *   <li><b>Whole messages.</b> The transport reassembles fragmented WebSocket messages, validates UTF-8 and
 *       enforces {@code maxHttpBufferSize}, and reports complete text or binary messages only; it answers
 *       control frames (ping, close) itself. It reports the end of the connection exactly once
 *       ({@code onClosed}).</li>
 *   <li><b>Exactly one response.</b> An {@link io.sockeye.core.spi.transport.HttpExchange} sends the first
 *       answer it is given and ignores later calls, from any thread; when its connection closes before
 *       that, it runs the {@code whenAborted} callback once.</li>
 *   <li><b>Writes on the session's loop.</b> The engine calls {@code WebSocketChannel} methods on the
 *       session's event loop (the connection's own, except after an upgrade from polling on another
 *       connection). Writes queue; {@code flush} sends them.</li>
 *   <li><b>Packet ownership.</b> {@code writeText(packet)} and {@code writeBinary(packet)} lend the packet: the engine releases its
 *       reference when the call returns. The transport writes a <em>share</em> of the packet's prepared
 *       form for its variant (a retained duplicate of a buffer), preparing it with
 *       {@link io.sockeye.core.spi.transport.OutboundPacket#prepare} when absent, and never keeps the
 *       packet. The prepared form belongs to the packet and is released with it, so the transport must
 *       not release it itself.</li>
 *   <li><b>Backpressure.</b> {@code isWritable} and {@code pendingBytes} report the connection's own
 *       outbound buffer; the engine drops volatile packets and closes slow consumers from them
 *       ({@code abort}: discard and close now), and sooner while {@code memoryPressure} says so.</li>
 *   <li><b>Closing ends.</b> {@code close} is bounded in time even for a peer that never reads; a closed
 *       connection reports it to {@code whenClosed} callbacks once its socket is really gone, which
 *       is when limits counting connections may let go of it.</li>
 *   <li><b>Addresses.</b> {@code RequestInfo.peerAddress} is the connection's peer and
 *       {@code remoteAddress} the client: the peer itself, unless the peer is one of the transport's
 *       {@link io.sockeye.core.spi.transport.TrustedProxies}, whose forwarding headers (or PROXY
 *       protocol header) then name it. Per-address limits and {@code handshake.address} use it.</li>
 * </ol>
 *
 * <p>Obligations of the engine: it answers each exchange exactly once unless aborted; it never calls a
 * {@code WebSocketChannel} after {@code close()} except {@code close()} again; it releases every
 * {@code OutboundPacket} it queued, written or not (a session that closes with packets queued releases
 * them), so prepared buffers never leak.
 */
package io.sockeye.core.spi.transport;
