package io.warhorse.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The work behind every endpoint, shared by all baselines so that each server does exactly the same thing per
 * request. Mirrors warhorse's sample apps: hello.war ({@code /hello}), slowdb.war ({@code /query?ms=N},
 * {@code /health}), async.war ({@code /async?ms=N}) and cpu.war ({@code /cpu?n=N}).
 */
final class Work {
    static final String HELLO = "Hello from warhorse\n";
    static final String HEALTHY = "ok\n";
    static final int DEFAULT_MS = 100;
    static final int MAX_MS = 60_000;
    static final int DEFAULT_N = 100_000;

    private Work() {
    }

    /** The ms asked for (default 100), or -1 if it is not an integer in [0, 60000]. */
    static int millis(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_MS;
        }
        try {
            int ms = Integer.parseInt(value.trim());
            return ms >= 0 && ms <= MAX_MS ? ms : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The rounds asked for (default 100,000), or -1 if not a non-negative integer. */
    static int iterations(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_N;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Blocks the calling thread about {@code ms} ms the way a JDBC call does: a socket read from a fake database
     * that never answers (as slowdb.war does by default), or {@code Thread.sleep} when {@code via} is "sleep".
     */
    static void query(int ms, String via) throws IOException, InterruptedException {
        if (ms == 0) {
            return;
        }
        if ("sleep".equals(via)) {
            Thread.sleep(ms);
        } else {
            FakeDatabase.shared().query(ms);
        }
    }

    /**
     * Burns CPU deterministically, exactly as cpu.war does: a chain of n SHA-256 hashes, each over the previous
     * 32-byte digest, starting from the UTF-8 bytes of "warhorse"; the hex result proves the work was done.
     */
    static String sha256Chain(long n) {
        byte[] state = "warhorse".getBytes(StandardCharsets.UTF_8);
        if (n == 0) {
            return HexFormat.of().formatHex(state);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            state = sha256.digest(state);
            for (long i = 1; i < n; i++) {
                sha256.update(state);
                sha256.digest(state, 0, state.length);
            }
        } catch (NoSuchAlgorithmException | DigestException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(state);
    }

    static String queried(int ms) {
        return "ok " + ms + " ms\n";
    }

    static String burnt(int n) {
        return "cpu n=" + n + " sha256=" + sha256Chain(n) + "\n";
    }

    /** The port given as the first argument; every baseline binds 127.0.0.1 only. */
    static int port(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: <main class> PORT [options]");
            System.exit(2);
        }
        return Integer.parseInt(args[0]);
    }
}
