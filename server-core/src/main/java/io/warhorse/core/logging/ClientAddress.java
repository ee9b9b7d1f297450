package io.warhorse.core.logging;

import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The client's address for the access log: the request's source address, which the edge has already set to
 * the client a trusted proxy names (ForwardedRequest, PROXY protocol). Any thread.
 */
final class ClientAddress {

    private volatile Peer last = new Peer(null, "-");

    String of(HttpServerExchange exchange) {
        return peer(exchange.getSourceAddress());
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
}
