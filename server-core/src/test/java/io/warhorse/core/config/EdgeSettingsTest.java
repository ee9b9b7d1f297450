package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.problems;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's settings: trusted proxies and PROXY peers as addresses or CIDRs, TLS files checked at load. */
class EdgeSettingsTest {

    @TempDir
    Path dir;

    @Test
    void trustedProxiesAreAddressesOrRangesFromAFlagsCommaList() {
        List<Cidr> trusted = TestSettings.of("warhorse.forwarded.trusted-proxies", "127.0.0.1, 10.0.0.0/8, ::1").edge().trustedProxies();
        assertEquals(List.of(Cidr.parse("127.0.0.1"), Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")), trusted);
        Path file = write(dir, "bad.conf", "warhorse.forwarded.trusted-proxies = [\"proxy.example\", \"10.0.0.0/33\"]\n");
        assertEquals(List.of(
                file + ":1: warhorse.forwarded.trusted-proxies: expected an IP address or a CIDR range such as 10.0.0.0/8 (no host names), got \"proxy.example\"",
                file + ":1: warhorse.forwarded.trusted-proxies: the prefix length of \"10.0.0.0/33\" must be 0 to 32"), problems(file));
    }

    @Test
    void rangesHoldTheAddressesOfTheirPrefix() {
        Cidr ten = Cidr.parse("10.1.0.0/15");
        assertTrue(ten.contains(InetAddress.ofLiteral("10.0.255.255")));
        assertTrue(ten.contains(InetAddress.ofLiteral("10.1.2.3")));
        assertFalse(ten.contains(InetAddress.ofLiteral("10.2.0.0")));
        assertFalse(ten.contains(InetAddress.ofLiteral("::1")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(InetAddress.ofLiteral("2001:db8:ffff::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.ofLiteral("203.0.113.9")));
        assertTrue(Cidr.parse("::ffff:127.0.0.1").contains(InetAddress.ofLiteral("127.0.0.1")));
    }

    @Test
    void tlsNeedsBothFilesReadableAndAKnownClientMode() {
        Path file = write(dir, "tls.conf", """
                warhorse.tls.certfile = "missing.pem"
                warhorse.tls.cert-reqs = "sometimes"
                """);
        List<String> problems = problems(file);
        assertTrue(problems.contains(file + ":1: warhorse.tls.certfile: cannot read " + dir.resolve("missing.pem") + " (no such file)"), problems.toString());
        assertTrue(problems.contains(file + ":2: warhorse.tls.cert-reqs: expected none, optional or required, got \"sometimes\""), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("TLS needs both certfile and keyfile")), problems.toString());
    }
}
