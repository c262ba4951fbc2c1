package io.sockeye.bench.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Clients whose one request waits on a hung backend: each opens a WebSocket to the standalone server, joins
 * namespace {@code /} and sends {@code rpc({method: "hang"})}, which the backend never answers. Bare
 * Socket.IO frames over the JDK's WebSocket client; the pings are answered so the connections stay.
 */
final class HangingClients implements AutoCloseable {

    private final List<WebSocket> sockets = new ArrayList<>();

    private HangingClients() {
    }

    static HangingClients open(int port, int count) {
        HangingClients clients = new HangingClients();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        for (int i = 0; i < count; i++) {
            clients.sockets.add(http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    String text = data.toString();
                    if (text.startsWith("0{")) {
                        ws.sendText("40", true);
                    } else if (text.startsWith("40")) {
                        ws.sendText("421[\"rpc\",{\"method\":\"hang\"}]", true);
                    } else if (text.equals("2")) {
                        ws.sendText("3", true);
                    }
                    ws.request(1);
                    return null;
                }
            }).join());
        }
        return clients;
    }

    @Override
    public void close() {
        sockets.forEach(WebSocket::abort);
    }
}
