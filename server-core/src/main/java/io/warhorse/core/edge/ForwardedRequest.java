package io.warhorse.core.edge;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.warhorse.core.config.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a trusted proxy says about the client, applied to the request, like Tomcat's RemoteIpValve: from a peer in
 * {@code forwarded.trusted-proxies}, the client's address is the nearest hop of X-Forwarded-For (or of RFC 7239
 * Forwarded's {@code for=}) that is not a trusted proxy, read from the right (hops to its left were written by
 * whoever sent the request and prove nothing); the scheme, host and port become the ones the client used, from
 * X-Forwarded-Proto/-Host/-Port or Forwarded's {@code proto=} and {@code host=}. The app's getRemoteAddr,
 * getScheme, isSecure, getServerName and getServerPort and the access log then see the client's view. From any
 * other peer nothing is read. Undertow's ProxyPeerAddressHandler takes the leftmost hop and trusts everyone.
 * Runs on the connection's I/O thread, for every request.
 */
public final class ForwardedRequest implements HttpHandler {

    private static final HttpString FORWARDED = new HttpString("Forwarded");

    private final List<Cidr> trusted;
    private final HttpHandler next;

    private ForwardedRequest(List<Cidr> trusted, HttpHandler next) {
        this.trusted = List.copyOf(trusted);
        this.next = next;
    }

    /** {@code next} itself when no proxy is trusted. */
    public static HttpHandler wrap(List<Cidr> trusted, HttpHandler next) {
        return trusted.isEmpty() ? next : new ForwardedRequest(trusted, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        InetSocketAddress peer = exchange.getSourceAddress();
        if (peer != null && peer.getAddress() != null && Cidr.anyContains(trusted, peer.getAddress())) {
            apply(exchange, peer);
        }
        next.handleRequest(exchange);
    }

    void apply(HttpServerExchange exchange, InetSocketAddress peer) {
        List<ForwardedElement> forwarded = ForwardedElement.parse(exchange.getRequestHeaders().get(FORWARDED));
        if (!forwarded.isEmpty()) {
            int client = clientIndex(forwarded.stream().map(ForwardedElement::forAddress).toList());
            if (client >= 0) {
                ForwardedElement element = forwarded.get(client);
                setClient(exchange, peer, element.forAddress());
                setOrigin(exchange, element.proto(), element.host(), null);
            }
            return;
        }
        List<String> hops = values(exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR));
        int client = clientIndex(hops);
        if (client >= 0) {
            setClient(exchange, peer, hops.get(client));
        }
        List<String> protos = values(exchange.getRequestHeaders().get(Headers.X_FORWARDED_PROTO));
        String proto = protos.isEmpty() ? null : protos.stream().allMatch("https"::equalsIgnoreCase) ? "https" : "http";
        setOrigin(exchange, proto, last(values(exchange.getRequestHeaders().get(Headers.X_FORWARDED_HOST))),
                last(values(exchange.getRequestHeaders().get(Headers.X_FORWARDED_PORT))));
    }

    /** The rightmost hop that is not a trusted proxy, else the leftmost; -1 when none is an IP address. */
    private int clientIndex(List<String> hops) {
        int client = -1;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress address = ipAddress(hops.get(i));
            if (address == null) {
                return client; // not an address (unknown, obfuscated): the chain cannot be followed further
            }
            client = i;
            if (!Cidr.anyContains(trusted, address)) {
                return i;
            }
        }
        return client;
    }

    private static void setClient(HttpServerExchange exchange, InetSocketAddress peer, String hop) {
        InetAddress address = ipAddress(hop);
        if (address != null) {
            exchange.setSourceAddress(new InetSocketAddress(address, peer.getPort()));
        }
    }

    /**
     * Scheme, and the Host header rebuilt from host and port, so Undertow's server name and port follow (with no
     * port said, Host's own port stays, else the scheme's default).
     */
    private static void setOrigin(HttpServerExchange exchange, String proto, String host, String port) {
        if (proto != null) {
            String scheme = proto.toLowerCase(Locale.ROOT);
            if (scheme.equals("https") || scheme.equals("http")) {
                exchange.setRequestScheme(scheme);
            }
        }
        String authority = host != null && validHost(host) ? host : exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (authority == null) {
            return;
        }
        if (port != null && port.matches("\\d{1,5}")) {
            authority = withoutPort(authority) + (isDefault(exchange.getRequestScheme(), port) ? "" : ":" + port);
        }
        exchange.getRequestHeaders().put(Headers.HOST, authority);
    }

    private static boolean isDefault(String scheme, String port) {
        return scheme.equals("https") && port.equals("443") || scheme.equals("http") && port.equals("80");
    }

    private static String withoutPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static boolean validHost(String host) {
        return !host.isEmpty() && host.length() <= 255 && host.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '\\' && c != '@');
    }

    static InetAddress ipAddress(String hop) {
        String text = hop.strip();
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            text = end < 0 ? text : text.substring(1, end); // [v6]:port as Forwarded writes it
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            text = text.substring(0, text.indexOf(':')); // v4:port
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<String> values(HeaderValues header) {
        List<String> values = new ArrayList<>();
        if (header != null) {
            for (String value : header) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        values.add(part.strip());
                    }
                }
            }
        }
        return values;
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.getLast();
    }
}
