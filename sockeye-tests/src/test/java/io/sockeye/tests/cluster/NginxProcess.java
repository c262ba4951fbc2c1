package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code nginx} (Debian package {@code nginx-light} or {@code nginx}) in the foreground on a free
 * port of 127.0.0.1, running the configuration printed in docs/clustering.md: the test reads the
 * {@code nginx} code block of that page (an {@code ip_hash} upstream, the WebSocket upgrade and
 * forwarding headers), changes only the addresses ({@code listen 80;} becomes a free port of
 * 127.0.0.1, the upstream's {@code server 127.0.0.1:300N;} lines the test's nodes) and wraps it in
 * the {@code http} block of a foreground nginx. Everything it writes (pid, logs, temp files) stays in
 * {@code dir}.
 */
final class NginxProcess extends ProxyProcess {

    private static final String LISTEN = "listen 80;";

    private NginxProcess(int port, ChildProcess process) {
        super(port, process);
    }

    static NginxProcess start(Path dir, List<Integer> nodePorts) throws IOException {
        int port = FreePorts.next();
        String d = dir.toAbsolutePath().toString();
        String documented = withAddresses(documented("nginx"), LISTEN, "listen 127.0.0.1:" + port + ";", nodePorts);
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %2$s
                }
                """.formatted(d, documented);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        ChildProcess p = launch("nginx-light", port, () -> Files.readString(dir.resolve("error.log")),
                List.of("nginx", "-p", d, "-c", file.toString(), "-e", d + "/error.log"));
        return new NginxProcess(port, p);
    }
}
