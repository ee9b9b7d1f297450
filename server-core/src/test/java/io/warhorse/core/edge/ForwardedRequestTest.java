package io.warhorse.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.warhorse.core.config.Cidr;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RemoteIpValve's rules on a bare exchange: which peer is believed, which hop is the client, what the origin becomes. */
class ForwardedRequestTest {

    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("127.0.0.1"), Cidr.parse("10.0.0.0/8"));

    private static HttpServerExchange from(String peer, String... headers) throws Exception {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setSourceAddress(new InetSocketAddress(peer, 40000));
        exchange.setRequestScheme("http");
        exchange.getRequestHeaders().put(Headers.HOST, "backend:8000");
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getRequestHeaders().add(new HttpString(headers[i]), headers[i + 1]);
        }
        ForwardedRequest.wrap(TRUSTED, e -> { }).handleRequest(exchange);
        return exchange;
    }

    private static String client(HttpServerExchange exchange) {
        return exchange.getSourceAddress().getAddress().getHostAddress();
    }

    @Test
    void theNearestUntrustedHopReadFromTheRightIsTheClient() throws Exception {
        assertEquals("198.51.100.7", client(from("127.0.0.1", "X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.2")));
        assertEquals("198.51.100.7", client(from("127.0.0.1", "X-Forwarded-For", "6.6.6.6", "X-Forwarded-For", "198.51.100.7")));
        assertEquals("10.0.0.3", client(from("127.0.0.1", "X-Forwarded-For", "10.0.0.3, 10.0.0.2")), "all trusted: the leftmost");
        assertEquals("127.0.0.1", client(from("127.0.0.1", "X-Forwarded-For", "unknown")), "no address: the peer stays");
        assertEquals("127.0.0.1", client(from("127.0.0.1")));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims() throws Exception {
        HttpServerExchange exchange = from("192.0.2.1", "X-Forwarded-For", "127.0.0.1", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "evil.example", "Forwarded", "for=1.2.3.4;proto=https");
        assertEquals("192.0.2.1", client(exchange));
        assertEquals("http", exchange.getRequestScheme());
        assertEquals("backend:8000", exchange.getRequestHeaders().getFirst(Headers.HOST));
    }

    @Test
    void protoHostAndPortBecomeTheClientsOrigin() throws Exception {
        HttpServerExchange exchange = from("10.1.2.3", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "shop.example", "X-Forwarded-Port", "8443");
        assertEquals("https", exchange.getRequestScheme());
        assertEquals("shop.example:8443", exchange.getRequestHeaders().getFirst(Headers.HOST));
        HttpServerExchange defaultPort = from("10.1.2.3", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443");
        assertEquals("backend", defaultPort.getRequestHeaders().getFirst(Headers.HOST));
        assertEquals("http", from("10.1.2.3", "X-Forwarded-Proto", "https, http").getRequestScheme(), "https only if every hop says so");
    }

    @Test
    void rfc7239ForwardedWinsAndItsClientsElementGivesTheOrigin() throws Exception {
        HttpServerExchange exchange = from("127.0.0.1", "X-Forwarded-For", "6.6.6.6",
                "Forwarded", "for=6.6.6.6;proto=http, for=\"[2001:db8::7]:4711\";proto=https;host=\"shop.example\", for=10.0.0.2;proto=http");
        assertEquals("2001:db8:0:0:0:0:0:7", client(exchange));
        assertEquals("https", exchange.getRequestScheme());
        assertEquals("shop.example", exchange.getRequestHeaders().getFirst(Headers.HOST));
        assertEquals("127.0.0.1", client(from("127.0.0.1", "Forwarded", "for=\"unterminated")), "malformed: ignored");
    }
}
