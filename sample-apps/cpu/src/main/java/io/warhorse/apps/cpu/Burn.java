package io.warhorse.apps.cpu;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic CPU work: a chain of {@code n} SHA-256 hashes, each over the previous 32-byte digest, starting
 * from the UTF-8 bytes of {@value #SEED}. The result depends on every round, so the JIT cannot skip any, and any
 * client can check it. No allocation per round: the digest is written over its own input.
 *
 * <p>Cost, measured with {@link #main} on JDK 25 (warm JIT): 0.064 us per round on an AMD EPYC core with the
 * SHA extensions, so about 15,000 rounds per millisecond and {@code n=1000000} takes about 64 ms. A CPU without
 * SHA extensions is several times slower. The same chain in Python, to check an answer:
 * {@code s=b"warhorse"; for _ in range(n): s=hashlib.sha256(s).digest()}.
 */
final class Burn {
    static final String SEED = "warhorse";

    private Burn() {
    }

    /** The hex SHA-256 after {@code n} rounds; {@code n = 0} gives the hex of the seed itself. */
    static String sha256Chain(long n) {
        byte[] state = SEED.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (n == 0) {
            return HexFormat.of().formatHex(state);
        }
        MessageDigest sha256 = newSha256();
        state = sha256.digest(state);
        try {
            for (long i = 1; i < n; i++) {
                sha256.update(state);
                sha256.digest(state, 0, state.length);
            }
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
        }
        return HexFormat.of().formatHex(state);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Times the chain: {@code java Burn.java [n] [repeats]}, to calibrate the cost per round on a machine. */
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            String hex = sha256Chain(n);
            long nanos = System.nanoTime() - start;
            System.out.printf("n=%d %s %.1f ms (%.3f us/round)%n", n, hex, nanos / 1e6, nanos / 1e3 / n);
        }
    }
}
