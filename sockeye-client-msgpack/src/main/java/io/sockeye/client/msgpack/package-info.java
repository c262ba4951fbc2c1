/**
 * The msgpack parser for the Java/Android socket.io client {@code io.socket:socket.io-client} 2.x,
 * compatible with socket.io-msgpack-parser 3.x: {@link io.sockeye.client.msgpack.MsgpackParser#use}
 * sets it on the client's options. Depends only on msgpack-core (and the client, which the application
 * brings).
 */
package io.sockeye.client.msgpack;
