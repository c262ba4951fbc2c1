/**
 * Test support shared by every module: {@link io.sockeye.testkit.FreePorts}, {@link io.sockeye.testkit.ChildProcess}
 * for real servers and clients run as child processes, {@link io.sockeye.testkit.NodeRunner} for Node.js clients,
 * {@link io.sockeye.testkit.TestLogging} for quiet logs, and (in {@code leak}) the Netty leak check every test class gets.
 */
package io.sockeye.testkit;
