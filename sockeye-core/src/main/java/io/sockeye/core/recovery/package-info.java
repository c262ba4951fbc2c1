/**
 * Connection state recovery: options ({@link io.sockeye.core.recovery.ConnectionStateRecovery},
 * {@link io.sockeye.core.recovery.HistoryBounds}) and the SPI a backend implements to keep history and
 * sessions — stream positions with epochs and their offsets, {@link io.sockeye.core.recovery.HistoryStore}
 * and {@link io.sockeye.core.recovery.SessionStore} (each with its numbered obligations and an in-memory
 * implementation), and the {@link io.sockeye.core.recovery.RecoveryBackend} an adapter returns from
 * {@link io.sockeye.core.adapter.Adapter#recovery}. See docs/recovery.md.
 */
package io.sockeye.core.recovery;
