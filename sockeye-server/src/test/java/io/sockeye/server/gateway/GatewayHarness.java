package io.sockeye.server.gateway;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.rooms.RoomsHarness;
import io.sockeye.testkit.HttpBackend;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server as {@code bin/sockeye} assembles it, in this JVM, with proxies pointing at a real
 * {@link HttpBackend}; Java socket.io clients; the server's {@code /metrics} read back.
 */
final class GatewayHarness implements AutoCloseable {

    static final String API_KEY = "gateway-test-key";

    final HttpBackend backend;
    final SockeyeApplication app;
    private final List<Socket> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayHarness(HttpBackend backend, String... flags) {
        this.backend = backend;
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--api-key", API_KEY, "--warmup=false"));
        args.addAll(Arrays.asList(flags));
        this.app = SockeyeApplication.start(ConfigLoader.load(args.toArray(String[]::new)));
    }

    /** A server with {@code flags}; {@code {backend}} in a flag's value is replaced by the backend's base URL. */
    static GatewayHarness start(HttpBackend backend, String... flags) {
        String base = backend.url("");
        return new GatewayHarness(backend, Arrays.stream(flags).map(f -> f.replace("{backend}", base)).toArray(String[]::new));
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    /** A client not yet connected, sending {@code auth} and {@code cookie}, if any. */
    Socket client(Map<String, String> auth, String cookie) {
        IO.Options options = RoomsHarness.websocketOptions();
        if (auth != null) {
            options.auth = auth;
        }
        if (cookie != null) {
            options.extraHeaders = Map.of("Cookie", List.of(cookie));
        }
        try {
            Socket socket = IO.socket(url(), options);
            synchronized (clients) {
                clients.add(socket);
            }
            return socket;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Socket connect(Map<String, String> auth, String cookie) throws Exception {
        return RoomsHarness.connected(client(auth, cookie));
    }

    Socket connect() throws Exception {
        return connect(null, null);
    }

    /** The sum of a metric's samples whose labels include every {@code label=value} given. */
    double metric(String name, String... labels) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/metrics"))
                .header("Authorization", "Bearer " + API_KEY).build();
        String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        double sum = 0;
        while (m.find()) {
            String labelText = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String l : labels) {
                String[] kv = l.split("=", 2);
                all &= labelText.contains(kv[0] + "=\"" + kv[1] + "\"");
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(Socket::close);
        }
        app.close();
        backend.close();
    }
}
