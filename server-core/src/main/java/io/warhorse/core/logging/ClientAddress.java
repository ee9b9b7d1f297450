package io.warhorse.core.logging;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The client's address for the access log. When the peer is a trusted proxy, X-Forwarded-For is read from the
 * right and the first address that is not a trusted proxy is the client: entries to its left were written by
 * whoever sent the request and prove nothing. Otherwise the peer itself. Any thread.
 */
final class ClientAddress {

    private final Set<String> trusted;
    private volatile Peer last = new Peer(null, "-");

    ClientAddress(List<String> trustedProxies) {
        this.trusted = Set.copyOf(trustedProxies);
    }

    String of(HttpServerExchange exchange) {
        String peer = peer(exchange.getSourceAddress());
        if (trusted.isEmpty() || !trusted.contains(peer)) {
            return peer;
        }
        HeaderValues forwarded = exchange.getRequestHeaders().get(Headers.X_FORWARDED_FOR);
        if (forwarded == null) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        forwarded.forEach(value -> {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(normalized(hop.strip()));
                }
            }
        });
        for (String hop : hops.reversed()) {
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return hops.isEmpty() ? peer : hops.getFirst();
    }

    /** The peer's address as text; the last one is kept (a proxy, or a client on keep-alive, sends many requests). */
    private String peer(InetSocketAddress source) {
        if (source == null) {
            return "-";
        }
        InetAddress address = source.getAddress();
        if (address == null) {
            return source.getHostString();
        }
        Peer last = this.last;
        if (!address.equals(last.address())) {
            last = new Peer(address, address.getHostAddress());
            this.last = last;
        }
        return last.text();
    }

    private record Peer(InetAddress address, String text) {}

    private static String normalized(String hop) {
        try {
            return InetAddress.ofLiteral(hop).getHostAddress();
        } catch (IllegalArgumentException e) {
            return hop.length() > 64 ? hop.substring(0, 64) : hop; // not an address: logged as sent (escaped), cut short
        }
    }
}
