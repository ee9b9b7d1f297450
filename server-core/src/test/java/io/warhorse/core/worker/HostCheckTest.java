package io.warhorse.core.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.server.handlers.HostHeaderHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.FieldInstruction;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Host check in front of Undertow's: its plain case by itself, then against Undertow's own handler on a real
 * server, for curated and random headers: whatever it lets through, Undertow's handler lets through too. And the
 * wrapper that installs it: warhorse's comes first on the class path, and Undertow's original still only makes a
 * {@link HostHeaderHandler}, so an Undertow upgrade that changes it fails here.
 */
class HostCheckTest {

    private static final String WRAPPER = "io/undertow/server/handlers/HostHeaderHandler$Wrapper.class";

    @Test
    void aNameOrIpv4AddressWithAnOptionalPortIsPlainAndNothingElseIs() {
        for (String plain : List.of("localhost", "127.0.0.1:8080", "example.com:443", "A-b.c_d~e:1", "x:65535",
                "999.1.1.1", "sub-delims!$&'()*+,;=:80")) {
            assertTrue(HostCheck.plainlyValid(plain), plain);
        }
        for (String other : List.of("", ":80", "host:", "host:0", "host:65536", "host:123456", "host:+80", "host:8a",
                "[::1]:80", "[::1]", "ho%20st", "a b", "user@host", "a:b:80", "\u00e9.com", "host:00000", "host:-1")) {
            assertFalse(HostCheck.plainlyValid(other), other);
        }
    }

    @Test
    @Timeout(60)
    void whatItLetsThroughUndertowsOwnHandlerLetsThroughOnARealServer() throws Exception {
        // the root handler is Undertow's own check: a plain header this class passes on must get its 200
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new HostHeaderHandler(exchange -> exchange.getResponseSender().send("ok"))).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();
            List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1:" + port, "[::1]:80", "a b",
                    "ho%2", "ho%zz", "host:99999", "user@host"));
            Random random = new Random(20261201);
            String alphabet = "0123456789abcXYZ.-_~:[]%@!$&'()*+,;= /\u00e9";
            for (int i = 0; i < 600; i++) {
                StringBuilder host = new StringBuilder();
                for (int n = random.nextInt(12); n > 0; n--) {
                    host.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                hosts.add(host.toString());
            }
            int plain = 0;
            int refused = 0;
            for (String host : hosts) {
                int status = status(port, host);
                if (HostCheck.plainlyValid(host)) {
                    plain++;
                    assertEquals(200, status, "Undertow refused a header passed as plain: '" + host + "'");
                } else if (status == 400) {
                    refused++;
                }
            }
            assertTrue(plain >= 50 && refused >= 50, plain + " plain, " + refused + " refused: the corpus tests too little");
            assertEquals(400, status(port, "a b"), "a bad header is still refused");
            assertEquals(400, status(port, "[::1"), "a bad header is still refused");
            assertTrue(HostCheck.lastWrapped() != null, "requests did not pass through HostCheck");
        } finally {
            server.stop();
        }
    }

    @Test
    void warhorsesWrapperComesFirstAndUndertowsOriginalOnlyMakesItsHandler() throws Exception {
        MethodModel wrap = ReplacedClass.method(ReplacedClass.of(WRAPPER, "undertow-core-2.3.").originalModel(), "wrap", null);
        assertEquals(List.of("io/undertow/server/handlers/HostHeaderHandler.<init>"), ReplacedClass.calls(wrap));

        // the HTTP/1.1 reader still takes its wrapper from HostHeaderHandler.WRAPPER, which holds a new Wrapper
        ClassModel reader = ReplacedClass.parse(Undertow.class.getClassLoader()
                .getResource("io/undertow/server/protocol/http/HttpReadListener.class"));
        assertTrue(reader.methods().stream().flatMap(method -> method.code().stream())
                .flatMap(code -> code.elementStream()).filter(FieldInstruction.class::isInstance)
                .map(FieldInstruction.class::cast)
                .anyMatch(field -> field.owner().asInternalName().equals("io/undertow/server/handlers/HostHeaderHandler")
                        && field.name().equalsString("WRAPPER")));
    }

    /** The status code of a GET with this Host header, on a connection of its own. */
    private static int status(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().split(" ");
            if (parts.length < 2) {
                throw new IOException("no status line for Host '" + host + "': '" + line + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
