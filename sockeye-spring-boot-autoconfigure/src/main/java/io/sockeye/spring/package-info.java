/**
 * Sockeye for Spring: annotated handlers ({@link io.sockeye.spring.SocketIoController},
 * {@link io.sockeye.spring.OnConnect}, {@link io.sockeye.spring.OnEvent},
 * {@link io.sockeye.spring.OnDisconnect}), middleware beans ({@link io.sockeye.spring.SocketIoMiddleware})
 * and the error answer ({@link io.sockeye.spring.SocketIoErrorHandler}). The Spring Boot starter
 * (auto-configuration in {@code io.sockeye.spring.autoconfigure}) registers them; see docs/spring.md.
 */
package io.sockeye.spring;
