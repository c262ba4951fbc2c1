package io.sockeye.server.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Serves the files under a class-path folder ({@code public/}: the demo page and the socket.io-client
 * bundle copied there at build time). Every file is read into memory once, at construction, so
 * requests never touch the disk on the event loop. {@code /} serves {@code index.html}; registered as
 * the router's catch-all, it leaves unknown paths to the caller (404).
 *
 * <p>Caching: every file has a strong {@code ETag} and {@code If-None-Match} is answered 304. HTML is
 * {@code no-cache} (always revalidated, so a new deployment shows at once); other files may be cached
 * for an hour.
 */
public final class StaticFiles implements HttpFeature {

    /** Safe path characters only: no {@code ..}, backslashes, or encoded tricks survive this. */
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*)+");

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /**
     * The demo page only talks to its own origin; scripts come from files, never inline, so a
     * strict policy costs nothing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
            + "img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    /** One file ready to send. */
    record Asset(byte[] body, String contentType, String etag, String cacheControl) {
    }

    private final Map<String, Asset> assets;

    private StaticFiles(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /**
     * Loads every file under {@code folder} (e.g. {@code "public"}) of the class path that holds
     * {@code folder/index.html}.
     */
    public static StaticFiles fromClassPath(String folder) {
        ClassLoader loader = StaticFiles.class.getClassLoader();
        URL anchor = loader.getResource(folder + "/index.html");
        Map<String, Asset> assets = new HashMap<>();
        if (anchor == null) {
            return new StaticFiles(assets);
        }
        try {
            if (anchor.getProtocol().equals("file")) {
                Path root = Path.of(anchor.toURI()).getParent();
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String rel = "/" + root.relativize(f).toString().replace('\\', '/');
                        assets.put(rel, asset(rel, Files.readAllBytes(f)));
                    }
                }
            } else if (anchor.getProtocol().equals("jar")) {
                JarURLConnection conn = (JarURLConnection) anchor.openConnection();
                conn.setUseCaches(false);
                try (JarFile jar = conn.getJarFile()) {
                    String prefix = folder + "/";
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        JarEntry entry = e.nextElement();
                        if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                            String rel = "/" + entry.getName().substring(prefix.length());
                            try (InputStream in = jar.getInputStream(entry)) {
                                assets.put(rel, asset(rel, in.readAllBytes()));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web files under " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return new StaticFiles(assets);
    }

    /** Files from memory (tests). Keys are paths like {@code /index.html}. */
    static StaticFiles of(Map<String, byte[]> files) {
        Map<String, Asset> assets = new HashMap<>();
        files.forEach((path, body) -> assets.put(path, asset(path, body)));
        return new StaticFiles(assets);
    }

    private static Asset asset(String path, byte[] body) {
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = CONTENT_TYPES.getOrDefault(ext, "application/octet-stream");
        String cache = ext.equals("html") ? "no-cache" : "public, max-age=3600";
        return new Asset(body, type, "\"" + sha256(body).substring(0, 32) + "\"", cache);
    }

    /** Whether {@code path} (as requested, e.g. {@code /} or {@code /app.js}) is a file here. */
    public boolean has(String path) {
        return find(path) != null;
    }

    /** Whether the socket.io-client bundle was built into the class path (Node was available). */
    public boolean hasClientBundle() {
        return assets.containsKey("/vendor/socket.io.min.js");
    }

    private Asset find(String rawPath) {
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!SAFE_PATH.matcher(path).matches()) {
            return null;
        }
        return assets.get(path);
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.catchAll(this::handle);
    }

    /**
     * Answers GET and HEAD for a known file.
     *
     * @return {@code false} when the path is not one of the files (the caller answers 404)
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest req, RequestInfo info) {
        Asset asset = find(info.path());
        if (asset == null) {
            return false;
        }
        boolean head = req.method() == HttpMethod.HEAD;
        if (!head && req.method() != HttpMethod.GET) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED);
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            HttpReply.to(ctx, req).send(res);
            return true;
        }
        String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = ifNoneMatch != null && (ifNoneMatch.equals(asset.etag()) || ifNoneMatch.contains(asset.etag()));
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                notModified || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.body()));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                .set(HttpHeaderNames.ETAG, asset.etag())
                .set(HttpHeaderNames.CACHE_CONTROL, asset.cacheControl())
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer");
        if (asset.contentType().startsWith("text/html")) {
            res.headers().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        if (head) {
            // HEAD announces the length of the body GET would send.
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, asset.body().length);
        }
        HttpReply.to(ctx, req).send(res);
        return true;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
