package io.sockeye.server;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.Settings;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The server TLS context from PEM files: OpenSSL (BoringSSL, through netty-tcnative) when its native
 * library loads on this platform, the JDK's TLS otherwise. Same port serves https and wss.
 */
final class Tls {

    private Tls() {
    }

    /** The provider that {@link #serverContext} uses here. */
    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** A human description of the provider, for the start-up log. */
    static String describeProvider() {
        return provider() == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /**
     * @throws ConfigException naming {@code tls.key} or {@code tls.cert} when the files do not hold a
     *                         usable certificate chain and matching private key
     */
    static SslContext serverContext(Path cert, Path key, boolean http2) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(provider());
            if (http2) { // offer h2 by ALPN, with the cipher suites RFC 9113 allows
                b.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                                ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
            }
            return b.build();
        } catch (Exception e) {
            // Netty says which file it could not read; point at that key.
            String message = String.valueOf(rootMessage(e));
            boolean aboutKey = message.toLowerCase(Locale.ROOT).contains("key");
            throw ConfigException.of(aboutKey ? Settings.TLS_KEY.key() : Settings.TLS_CERT.key(),
                    "cannot use " + (aboutKey ? key : cert) + ": " + message);
        }
    }

    /** The first message along the cause chain (Netty wraps the JDK's parse errors). */
    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
