package io.warhorse.it;

import static io.warhorse.it.Wars.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.testing.RunningWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slowloris, run by a real slowhttptest (Debian's package): 200 connections that each send one more header line a
 * second and never end their request. A worker keeps serving everyone else meanwhile (the slow heads are read on the
 * I/O threads and never hold a request thread, so the sync kind, whose threads are the scarce part, is the one
 * tried), and {@code http.request-parse-timeout} cuts every slow connection off: slowhttptest ends early with no
 * connection left, instead of holding them for its whole run. gunicorn's sync workers have no such guard.
 */
class SlowClientsTest {

    @TempDir
    Path dir;

    @Test
    void aSlowlorisIsCutOffWhileEveryOtherClientIsServed() throws Exception {
        try (RunningWorker worker = RunningWorker.start(Wars.settings("sync", List.of(app("hello")),
                "warhorse.http.request-parse-timeout", "2s"))) {
            String url = worker.uri("/hello/hello").toString();
            CompletableFuture<Tool> attack = CompletableFuture.supplyAsync(() -> {
                try {
                    return Tool.run(60, "slowhttptest", "-H", "-c", "200", "-r", "100", "-i", "1", "-x", "10",
                            "-p", "5", "-l", "20", "-g", "-o", dir.resolve("stats").toString(), "-u", url);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicInteger served = new AtomicInteger();
            while (!attack.isDone()) {
                var response = Http.get(worker.uri("/hello/hello"));
                assertEquals(200, response.statusCode(), "a client beside the slowloris");
                served.incrementAndGet();
            }
            Tool slowloris = attack.get(5, TimeUnit.SECONDS);
            String output = slowloris.output().replaceAll("\u001B\\[[;\\d]*m", "");
            assertEquals(0, slowloris.exit(), output);
            assertTrue(output.contains("Exit status: No open connections left"),
                    "every slow connection was cut off before slowhttptest's 20 s ran out:\n" + output);
            // per second: Seconds,Closed,Pending,Connected,Service Available
            List<String[]> seconds = Files.readAllLines(dir.resolve("stats.csv")).stream().skip(1)
                    .map(line -> line.split(",")).toList();
            int mostConnected = seconds.stream().mapToInt(row -> Integer.parseInt(row[3])).max().orElse(0);
            assertTrue(mostConnected >= 100, "slowhttptest held " + mostConnected + " connections at most:\n" + output);
            assertTrue(served.get() > 0, "requests were served during the slowloris");
            assertEquals(200, Http.get(worker.uri("/hello/hello")).statusCode());
        }
    }
}
