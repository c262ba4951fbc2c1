/**
 * Sockeye's embedded API: {@link io.sockeye.core.SocketIoServer}, {@link io.sockeye.core.Namespace},
 * {@link io.sockeye.core.Socket}, {@link io.sockeye.core.BroadcastOperator} and their small value and
 * callback types, modelled on socket.io's server API. Options live in {@link io.sockeye.core.ServerOptions}.
 */
package io.sockeye.core;
