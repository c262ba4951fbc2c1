/**
 * Administration for people: the live dashboard at {@code /admin/} ({@link io.sockeye.server.admin.AdminDashboard},
 * behind a password login, plots from the metrics, rooms/users tables, disconnect and test-publish
 * actions) and the server side of the official Socket.IO Admin UI as namespace {@code /admin}
 * ({@link io.sockeye.server.admin.AdminUiNamespace}). Both check the password through one
 * {@link io.sockeye.server.admin.AdminLogin} (throttled per address and globally, off the event loops) against
 * {@link io.sockeye.server.admin.AdminCredentials} (bcrypt hash or plain, constant time).
 */
package io.sockeye.server.admin;
