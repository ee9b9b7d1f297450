package io.warhorse.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static HttpServerExchange from(String peer, String... forwardedFor) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setSourceAddress(new InetSocketAddress(peer, 40000));
        for (String value : forwardedFor) {
            exchange.getRequestHeaders().add(Headers.X_FORWARDED_FOR, value);
        }
        return exchange;
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("127.0.0.1", new ClientAddress(List.of()).of(from("127.0.0.1", "203.0.113.9")));
    }

    @Test
    void aTrustedPeerGivesTheNearestUntrustedHopReadFromTheRight() {
        ClientAddress client = new ClientAddress(List.of("127.0.0.1", "10.0.0.2"));
        assertEquals("198.51.100.7", client.of(from("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2")));
        assertEquals("198.51.100.7", client.of(from("127.0.0.1", "6.6.6.6", "198.51.100.7")));
        assertEquals("127.0.0.1", client.of(from("127.0.0.1")));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() {
        assertEquals("192.0.2.1", new ClientAddress(List.of("127.0.0.1")).of(from("192.0.2.1", "127.0.0.1")));
    }
}
