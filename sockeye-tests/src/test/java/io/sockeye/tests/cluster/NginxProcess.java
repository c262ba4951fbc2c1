package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code nginx} (Debian package {@code nginx-light} or {@code nginx}) in the foreground on a free
 * port of 127.0.0.1, with a generated configuration: an {@code ip_hash} upstream of the given node
 * ports and the WebSocket upgrade headers passed on, as docs/clustering.md shows. Everything it writes
 * (pid, logs, temp files) stays in {@code dir}.
 */
final class NginxProcess extends ProxyProcess {

    private NginxProcess(int port, ChildProcess process) {
        super(port, process);
    }

    static NginxProcess start(Path dir, List<Integer> nodePorts) throws IOException {
        int port = FreePorts.next();
        StringBuilder servers = new StringBuilder();
        for (int nodePort : nodePorts) {
            servers.append("        server 127.0.0.1:").append(nodePort).append(";\n");
        }
        String d = dir.toAbsolutePath().toString();
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
                    upstream sockeye {
                        ip_hash;
                %2$s    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://sockeye;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection "upgrade";
                            proxy_set_header Host $host;
                            proxy_read_timeout 60s;
                        }
                    }
                }
                """.formatted(d, servers, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        ChildProcess p = launch("nginx-light", port, () -> Files.readString(dir.resolve("error.log")),
                List.of("nginx", "-p", d, "-c", file.toString(), "-e", d + "/error.log"));
        return new NginxProcess(port, p);
    }
}
