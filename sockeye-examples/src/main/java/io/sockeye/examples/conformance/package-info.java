/**
 * The conformance server: a stand-in for the reference servers of the official Engine.IO and
 * Socket.IO protocol test suites ({@code socketio/engine.io-protocol}, {@code socketio/socket.io-protocol}),
 * started by {@code bin/sockeye-conformance} and by the suite reproductions in {@code sockeye-tests}.
 */
package io.sockeye.examples.conformance;
