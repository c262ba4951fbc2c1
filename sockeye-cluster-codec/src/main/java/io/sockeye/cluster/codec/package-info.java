/**
 * socket.io's cluster message wire format, once, for every cluster backend: {@link
 * io.sockeye.cluster.codec.ClusterMessageCodec} turns the core's {@code ClusterMessage}s into the JSON
 * or msgpack that socket.io's {@code ClusterAdapter} backends publish and back; {@link
 * io.sockeye.cluster.codec.MsgPack}, {@link io.sockeye.cluster.codec.Json}, {@link
 * io.sockeye.cluster.codec.JsValues} and {@link io.sockeye.cluster.codec.WireShapes} are the value
 * conventions and object shapes that every socket.io adapter format shares (the classic Redis format
 * builds on them too); {@link io.sockeye.cluster.codec.RedisStreamsFormat} is the Redis Streams
 * adapter's storage on top of them. The wire facts are in docs/protocol-notes.md, "Cluster messages".
 *
 * <p>Why a module of its own: the Redis (pub/sub and streams) and NATS adapters, and later a
 * standalone emitter, all need it, and none of them should have to depend on another backend's client
 * library or on the Netty transport. It depends on sockeye-core only for the message records, plus
 * msgpack-core and Jackson. Pure: bytes in, records out, no I/O and no threads; every decoder entry
 * point returns a value or throws {@link io.sockeye.cluster.codec.ClusterCodecException}.
 */
package io.sockeye.cluster.codec;
