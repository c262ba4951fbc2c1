package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading a server's sockets from /proc/net/tcp{,6} and its metrics from the Prometheus text format. */
class ServerProbeTest {

    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    /** A /proc/net/tcp line: local 127.0.0.1:port, the given remote (hex, host order), state and inode. */
    private static String line(int localPort, String remoteHex, String state, long inode) {
        return String.format("   0: 0100007F:%04X %s:D431 %s 00000000:00000000 00:00000000 00000000     0        0 %d 1",
                localPort, remoteHex, state, inode);
    }

    @Test
    void countsTheSocketsTheServerHoldsByClientBlock() {
        Map<String, Integer> held = new LinkedHashMap<>();
        int port = 0x9C41;
        ServerProbe.TcpTable.count(List.of(HEADER,
                line(port, "01001E7F", "01", 1001),                 // 127.30.0.1: a well-behaved client
                line(port, "02001F7F", "01", 1002),                 // 127.31.0.2: a slow reader
                line(port, "0100217F", "08", 1003),                 // 127.33.0.1, CLOSE_WAIT: slowloris, still held
                line(port, "0100207F", "04", 0),                    // 127.32.0.1 FIN_WAIT1 orphan: not held
                line(port, "00000000", "0A", 1004),                 // the listening socket
                line(port + 1, "01001E7F", "01", 1005),             // another port
                line(port, "0100007F", "01", 1006),                 // 127.0.0.1: the HTTP API's client
                "   1: 0000000000000000FFFF00000100007F:9C41 0000000000000000FFFF000001001E7F:D432 01 "
                        + "00000000:00000000 00:00000000 00000000     0        0 1007 1"), port, held);
        assertThat(held).containsEntry("normal", 2).containsEntry("slow_reader", 1).containsEntry("slowloris", 1)
                .containsEntry("other", 1).doesNotContainKey("vanished");
    }

    @Test
    void readsPrometheusSamplesByNameAndLabels() {
        MetricsText m = MetricsText.parse("""
                HTTP/1.0 200 OK
                content-type: text/plain; version=0.0.4; charset=utf-8

                # HELP jvm_threads_current Current thread count
                # TYPE jvm_threads_current gauge
                jvm_threads_current 14.0
                jvm_buffer_pool_used_bytes{pool="direct"} 477162.0
                sockeye_engine_connections{transport="polling"} 51.0
                sockeye_engine_connections{transport="websocket"} 255.0
                sockeye_engine_connections_peak{transport="websocket"} 258.0
                sockeye_netty_allocator_used_bytes{allocator="adaptive",memory="direct"} 262144.0
                sockeye_netty_allocator_used_bytes{allocator="adaptive",memory="heap"} 5.0
                """);
        assertThat(m.value("jvm_threads_current", -1)).isEqualTo(14);
        assertThat(m.value("jvm_buffer_pool_used_bytes{pool=\"direct\"}", -1)).isEqualTo(477162);
        assertThat(m.value("sockeye_timer_pending_timeouts", -1)).isEqualTo(-1);
        assertThat(m.sum("sockeye_engine_connections{", "")).isEqualTo(306);
        assertThat(m.sum("sockeye_netty_allocator_used_bytes", "memory=\"direct\"")).isEqualTo(262144);
        assertThat(m.sum("sockeye_absent", "")).isEqualTo(-1);
    }
}
