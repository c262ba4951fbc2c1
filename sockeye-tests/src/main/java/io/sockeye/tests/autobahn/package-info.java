/**
 * The WebSocket echo server the Autobahn fuzzing client tests for RFC 6455 conformance during the
 * build: {@link io.sockeye.tests.autobahn.AutobahnEchoServer} starts it, {@code AutobahnServerInitializer}
 * assembles the pipeline under test, {@code WebSocketEchoHandler} is the application on top.
 */
package io.sockeye.tests.autobahn;
