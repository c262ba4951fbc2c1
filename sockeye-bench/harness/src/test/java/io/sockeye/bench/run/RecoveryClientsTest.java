package io.sockeye.bench.run;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The recovery storm's clients leave nothing open behind them: the next storm of the runner starts clean. */
class RecoveryClientsTest {

    private static final int CLIENTS = 20;

    @Test
    void closeClosesEveryChannelTheClientsOpened() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            // A server that accepts and never answers the WebSocket handshake: the clients' channels stay open.
            Thread acceptor = new Thread(() -> {
                try {
                    while (!server.isClosed()) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "recovery-clients-test-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();

            RecoveryClients net = new RecoveryClients();
            List<RecoveryClients.Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(net.add("room"));
            }
            net.connectAll(clients, server.getLocalPort(), 30_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((accepted.size() < CLIENTS || net.openChannels() < CLIENTS) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // polled until the deadline
            }
            assertThat(accepted).hasSize(CLIENTS);
            assertThat(net.openChannels()).isEqualTo(CLIENTS);

            net.close();

            assertThat(net.openChannels()).isZero();
            for (Socket socket : accepted) {
                assertThat(readsToTheEnd(socket)).as("the client closed its side").isTrue();
                socket.close();
            }
        }
    }

    /** Whether the peer of {@code socket} closed it (end of stream or reset) within 30 s. */
    private static boolean readsToTheEnd(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // the client's handshake request: not of interest
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the client: closed too
        }
    }
}
