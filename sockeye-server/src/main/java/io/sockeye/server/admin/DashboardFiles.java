package io.sockeye.server.admin;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sockeye.server.http.HttpReply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files: its own page, script and style from {@code admin/} on the class path, and
 * Chart.js from its WebJar ({@code org.webjars.npm:chart.js}, {@code META-INF/resources/webjars/...}),
 * so no library code lives in the repository. A fixed list: nothing else on the class path is reachable.
 */
final class DashboardFiles {

    static final String CHART_JS = "vendor/chart.umd.js";

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "login.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            CHART_JS, "text/javascript; charset=utf-8");

    /** The page may load only its own files: no inline script, no third-party origin. */
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void serve(HttpReply reply, String name) {
        String type = TYPES.get(name);
        byte[] body = type == null ? null : cache.computeIfAbsent(name, DashboardFiles::load);
        if (body == null || body.length == 0) {
            AdminDashboard.error(reply, HttpResponseStatus.NOT_FOUND, "not_found");
            return;
        }
        FullHttpResponse res = AdminDashboard.response(HttpResponseStatus.OK, type, body);
        res.headers().set("Content-Security-Policy", CSP);
        reply.send(res);
    }

    /** The login form again, saying the password was wrong, with status 401. */
    void serveLoginFailed(HttpReply reply) {
        byte[] page = cache.computeIfAbsent("login.html", DashboardFiles::load);
        String html = new String(page, StandardCharsets.UTF_8).replace("class=\"login\"", "class=\"login failed-login\"");
        FullHttpResponse res = AdminDashboard.response(HttpResponseStatus.UNAUTHORIZED, TYPES.get("login.html"),
                html.getBytes(StandardCharsets.UTF_8));
        res.headers().set("Content-Security-Policy", CSP);
        reply.send(res);
    }

    private static byte[] load(String name) {
        String resource = name.equals(CHART_JS) ? chartJsPath() : "admin/" + name;
        if (resource == null) {
            return new byte[0];
        }
        try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WebJar's path names its version: read it from the jar's Maven metadata. */
    static String chartJsPath() {
        String pom = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
        try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(pom)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/dist/chart.umd.js";
        } catch (IOException e) {
            return null;
        }
    }
}
