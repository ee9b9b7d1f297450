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
 * whoever sent the request and prove nothing. Otherwise the peer itself. Immutable; any thread.
 */
final class ClientAddress {

    private final Set<String> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = Set.copyOf(trustedProxies);
    }

    String of(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        String peer = source == null ? "-" : source.getAddress() == null ? source.getHostString() : source.getAddress().getHostAddress();
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

    private static String normalized(String hop) {
        try {
            return InetAddress.ofLiteral(hop).getHostAddress();
        } catch (IllegalArgumentException e) {
            return hop.length() > 64 ? hop.substring(0, 64) : hop; // not an address: logged as sent (escaped), cut short
        }
    }
}
