/**
 * Test support shared by every module: {@link io.sockeye.testkit.FreePorts}, {@link io.sockeye.testkit.ChildProcess}
 * for real servers and clients run as child processes, {@link io.sockeye.testkit.NodeRunner} for Node.js clients,
 * {@link io.sockeye.testkit.TestLogging} for quiet logs, {@link io.sockeye.testkit.RawHttpConnection},
 * {@link io.sockeye.testkit.RawWebSocket} and {@link io.sockeye.testkit.TcpTable} for misbehaving clients and
 * what the kernel makes of them, and (in {@code leak}) the Netty leak check every test class gets.
 */
package io.sockeye.testkit;
