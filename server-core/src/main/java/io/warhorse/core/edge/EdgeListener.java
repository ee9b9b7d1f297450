package io.warhorse.core.edge;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.http2.Http2Channel;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.HttpHandler;
import io.undertow.server.OpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import io.undertow.server.protocol.proxy.ProxyProtocolOpenListener;
import io.warhorse.core.config.Cidr;
import io.warhorse.core.config.Settings;
import io.warhorse.core.tls.ServerTls;
import io.warhorse.core.tls.TlsException;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.Xnio;

/**
 * What a freshly accepted connection goes through before Undertow parses HTTP on it, built from {@code
 * warhorse.proxy-protocol}, {@code tls} and {@code http2}: the PROXY header (from allowed peers only), then TLS
 * (Undertow's UndertowXnioSsl over the accepted connection, as Undertow's own PROXY listener does), then ALPN
 * choosing h2 or HTTP/1.1; without TLS, HTTP/1.1 with h2c (Upgrade and prior knowledge) when enabled. Built once
 * on the worker's main thread; {@link #handleEvent} runs on the accepting I/O thread.
 */
public final class EdgeListener implements ChannelListener<StreamConnection> {

    private final OpenListener open;
    private final HttpOpenListener http;
    private final UndertowXnioSsl ssl;
    private final OptionMap sslOptions;
    private final ProxyProtocolOpenListener proxy;
    private final Settings.ProxyProtocol proxySettings;
    /** Watches a plain connection for an h2c prior-knowledge preface; the identity when h2c is off. */
    private final UnaryOperator<StreamConnection> priorKnowledge;

    private EdgeListener(Settings.Edge edge, OpenListener open, HttpOpenListener http, UndertowXnioSsl ssl,
                         OptionMap sslOptions, ByteBufferPool buffers, UnaryOperator<StreamConnection> priorKnowledge) {
        this.open = open;
        this.priorKnowledge = priorKnowledge;
        this.http = http;
        this.ssl = ssl;
        this.sslOptions = sslOptions;
        this.proxySettings = edge.proxyProtocol();
        // a connection from a trusted proxy gets the same watches, once its PROXY header is read (and TLS wrapped)
        UnaryOperator<StreamConnection> watches = ssl != null ? EdgeListener::watch : c -> priorKnowledge.apply(watch(c));
        this.proxy = proxySettings.enabled()
                ? new ProxyProtocolOpenListener(new WatchedOpenListener(open, watches), ssl, buffers, sslOptions) : null;
    }

    /** Reads the TLS files (a worker started by HUP reads them anew) and builds the listeners over {@code root}. */
    public static EdgeListener create(Settings.Edge edge, ByteBufferPool buffers, OptionMap serverOptions,
                                      HttpHandler root, Xnio xnio) throws TlsException {
        Settings.Http2 h2 = edge.http2();
        boolean tls = edge.tls().enabled();
        boolean http2 = tls ? h2.enabled() : h2.h2c();
        OptionMap options = OptionMap.builder().addAll(serverOptions)
                .set(UndertowOptions.ENABLE_HTTP2, http2)
                .set(UndertowOptions.HTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, h2.maxConcurrentStreams())
                .set(UndertowOptions.HTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, h2.maxHeaderListSize())
                .set(UndertowOptions.MAX_CONCURRENT_REQUESTS_PER_CONNECTION, h2.maxConcurrentStreams())
                .getMap();
        headerListCap(h2.maxHeaderListSize());
        HttpOpenListener http = new HttpOpenListener(buffers, options);
        http.setRootHandler(!tls && http2 ? new Http2UpgradeHandler(root) : root);
        int maxFields = serverOptions.get(UndertowOptions.MAX_HEADERS, UndertowOptions.DEFAULT_MAX_HEADERS);
        if (!tls) {
            return new EdgeListener(edge, http, http, null, OptionMap.EMPTY, buffers, http2
                    ? PriorKnowledgeLimits.watcher(maxFields, h2.maxHeaderListSize()) : UnaryOperator.identity());
        }
        ServerTls server = ServerTls.load(edge.tls());
        OpenListener open = http;
        if (http2) {
            AlpnOpenListener alpn = new AlpnOpenListener(buffers, options, http);
            // Undertow's h2 decoder resets a stream with more than MAX_HEADERS fields, unanswered: HeaderFieldLimit
            // and StrictHttp count them instead (431), the header list's size still bounding what a request may hold
            Http2OpenListener h2Listener = new Http2OpenListener(buffers, OptionMap.builder().addAll(options)
                    .set(UndertowOptions.MAX_HEADERS, 0).getMap());
            h2Listener.setRootHandler(root);
            alpn.addProtocol(Http2OpenListener.HTTP2, new Http2FieldLimits(h2Listener, maxFields, h2.maxHeaderListSize()), 10);
            open = alpn;
        }
        UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), server.context());
        return new EdgeListener(edge, open, http, ssl, sslOptions(edge.tls(), server), buffers, UnaryOperator.identity());
    }

    /**
     * Undertow caps the h2 header list at the smallest of the option, MAX_HEADER_SIZE and a system property read once
     * when its Http2Channel class loads (20000 by default): the property is raised to the setting before that.
     */
    private static void headerListCap(int bytes) {
        if (System.getProperty(Http2Channel.HTTP2_MAX_HEADER_SIZE_PROPERTY) == null) {
            System.setProperty(Http2Channel.HTTP2_MAX_HEADER_SIZE_PROPERTY, Integer.toString(bytes));
        }
    }

    private static OptionMap sslOptions(Settings.Tls tls, ServerTls server) {
        OptionMap.Builder options = OptionMap.builder()
                .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(tls.protocols()))
                .set(Options.SSL_CLIENT_AUTH_MODE, switch (tls.certReqs()) {
                    case "required" -> SslClientAuthMode.REQUIRED;
                    case "optional" -> SslClientAuthMode.REQUESTED;
                    default -> SslClientAuthMode.NOT_REQUESTED;
                });
        String[] suites = server.cipherSuites(tls.ciphers());
        if (suites != null) {
            options.set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(suites));
        }
        return options.getMap();
    }

    @Override
    public void handleEvent(StreamConnection connection) {
        if (proxy != null && fromProxy(connection)) {
            proxy.handleEvent(connection);
        } else if (ssl != null) {
            open.handleEvent(watch(ssl.wrapExistingConnection(connection, sslOptions, false)));
        } else {
            open.handleEvent(priorKnowledge.apply(watch(LazyReadSuspend.install(connection))));
        }
    }

    /**
     * The checks on a connection's raw bytes that Undertow's parser leaves to us; on a PROXY connection, put beneath
     * the bytes after its PROXY header ({@link WatchedOpenListener}).
     */
    private static <C extends StreamConnection> C watch(C connection) {
        return ChunkedBodyCheck.watch(FirstLineVersion.watch(connection));
    }

    private boolean fromProxy(StreamConnection connection) {
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        return peer != null && peer.getAddress() != null && Cidr.anyContains(proxySettings.allowFrom(), peer.getAddress());
    }

    /** HTTP/1.1 connections and their requests (the drain waits on them); Http2Connections counts the h2 ones. */
    public ConnectorStatistics statistics() {
        return http.getConnectorStatistics();
    }
}
