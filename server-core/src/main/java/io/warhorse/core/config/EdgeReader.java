package io.warhorse.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code warhorse.forwarded.*}, {@code proxy-protocol.*}, {@code tls.*} and {@code http2.*} into
 * {@link Settings.Edge}, reporting problems through the {@link SettingsReader} it is given. The TLS files are read
 * and checked here (see {@link TlsFilesCheck}), so a bad certificate stops a start, a reload or --check-config alike.
 */
final class EdgeReader {

    private static final List<String> CERT_REQS = List.of("none", "optional", "required");

    private final SettingsReader reader;

    EdgeReader(SettingsReader reader) {
        this.reader = reader;
    }

    Settings.Edge read() {
        return new Settings.Edge(ranges("warhorse.forwarded.trusted-proxies"),
                new Settings.ProxyProtocol(bool("warhorse.proxy-protocol.enabled"), ranges("warhorse.proxy-protocol.allow-from")),
                tls(), http2());
    }

    private Settings.Http2 http2() {
        return new Settings.Http2(bool("warhorse.http2.enabled"), bool("warhorse.http2.h2c"),
                reader.integer("warhorse.http2.max-concurrent-streams", 1),
                (int) reader.bytes("warhorse.http2.max-header-list-size", 1024, Integer.MAX_VALUE));
    }

    private Settings.Tls tls() {
        Path cert = file("warhorse.tls.certfile");
        Path key = file("warhorse.tls.keyfile");
        Path ca = file("warhorse.tls.ca-certs");
        String certReqs = reader.choice("warhorse.tls.cert-reqs", CERT_REQS, "none");
        if ((cert == null) != (key == null)) {
            reader.problem(cert == null ? "warhorse.tls.certfile" : "warhorse.tls.keyfile",
                    "TLS needs both certfile and keyfile (--certfile and --keyfile)");
        } else if (!certReqs.equals("none") && ca == null) {
            reader.problem("warhorse.tls.ca-certs", "cert-reqs " + certReqs + " needs ca-certs, the CAs client certificates are checked against");
        }
        List<String> protocols = strings("warhorse.tls.protocols");
        Settings.Tls tls = new Settings.Tls(cert, key, ca, certReqs, protocols, strings("warhorse.tls.ciphers"));
        if (cert != null && key != null && Files.isReadable(cert) && Files.isReadable(key)
                && (ca == null || Files.isReadable(ca))) {
            String problem = TlsFilesCheck.problem(tls);
            if (problem != null) {
                reader.problem("warhorse.tls.certfile", problem);
            }
        }
        return tls;
    }

    /** A readable file, relative to the file that names it; null for "". */
    private Path file(String path) {
        String text = reader.get(path, "a file path", reader.config()::getString, "").strip();
        if (text.isEmpty()) {
            return null;
        }
        Path file = reader.resolve(path, text);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            reader.problem(path, "cannot read " + file + (Files.exists(file) ? " (permissions?)" : " (no such file)"));
        }
        return file;
    }

    private List<Cidr> ranges(String path) {
        List<Cidr> ranges = new ArrayList<>();
        for (String text : strings(path)) {
            try {
                ranges.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                reader.problem(path, e.getMessage());
            }
        }
        return ranges;
    }

    private List<String> strings(String path) {
        return reader.get(path, "a list of strings", reader.config()::getStringList, List.<String>of());
    }

    private boolean bool(String path) {
        return reader.get(path, "true or false", reader.config()::getBoolean, false);
    }
}
