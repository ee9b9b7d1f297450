package io.warhorse.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real command-line tool (curl, openssl, h2load) to completion, bounded in time, and returns its exit code
 * and output (stdout and stderr together). A tool still running at the deadline is killed and fails the test.
 *
 * @param output stdout and stderr, interleaved
 */
public record Tool(int exit, String output) {

    public static Tool run(int seconds, String... command) throws IOException, InterruptedException {
        return withInput(seconds, null, command);
    }

    /**
     * Runs {@code command} until it exits 0 (a server the test just started listens a moment later), for at most
     * {@code seconds}; fails with the last output if it never does.
     */
    public static Tool untilSuccess(int seconds, String... command) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Tool last = run(seconds, command);
        while (last.exit() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling until the server listens, under the deadline
            last = run(seconds, command);
        }
        if (last.exit() != 0) {
            throw new AssertionError(command[0] + " still failing after " + seconds + " s: " + last.output());
        }
        return last;
    }

    /** @param input bytes written to the tool's stdin, then closed (null for none) */
    public static Tool withInput(int seconds, String input, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("warhorse-tool-", ".log");
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (var stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(command[0] + " still running after " + seconds + " s: " + Files.readString(log));
            }
            return new Tool(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
