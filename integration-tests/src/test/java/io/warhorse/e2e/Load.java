package io.warhorse.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continuous load: {@code threads} clients, each sending GETs one after the other (a short pause between two) over
 * one shared HTTP/1.1 client with keep-alive, like a browser or a proxy in front of warhorse. Every request is
 * recorded with its start and end time and its status or exception. The JDK client re-sends an idempotent request
 * once when a kept-alive connection turns out closed before any byte of the response came back (its
 * ConnectionExpiredException), as browsers do; a connection refused, reset or cut in a response is a failure.
 */
final class Load implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
    private static final Duration PAUSE = Duration.ofMillis(5);

    /** One request: status -1 when it failed with {@code error}; pid when the body is a /whoami answer. */
    record Result(int client, long startNanos, long endNanos, int status, long pid, Throwable error) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "client " + client + " status " + status + (error != null ? " " + error : "") + " pid " + pid;
        }
    }

    private final URI uri;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Result> results = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private Load(URI uri) {
        this.uri = uri;
    }

    static Load start(URI uri, int clients) {
        Load load = new Load(uri);
        for (int i = 0; i < clients; i++) {
            int client = i;
            load.threads.add(Thread.ofPlatform().daemon().name("load-" + i).start(() -> load.run(client)));
        }
        return load;
    }

    private void run(int id) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).build();
        while (!stopping) {
            long start = System.nanoTime();
            Result result;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher pid = PID.matcher(response.body());
                result = new Result(id, start, System.nanoTime(), response.statusCode(),
                        pid.find() ? Long.parseLong(pid.group(1)) : 0, null);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                result = new Result(id, start, System.nanoTime(), -1, 0, e);
            }
            synchronized (results) {
                results.add(result);
            }
            LockSupport.parkNanos(PAUSE.toNanos());
        }
    }

    /** Requests completed so far. */
    int count() {
        synchronized (results) {
            return results.size();
        }
    }

    List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Waits until {@code more} requests beyond those done now have completed. */
    void awaitMore(int more, Duration limit) throws Exception {
        int target = count() + more;
        Deadline.within(limit, () -> count() >= target);
    }

    /** Stops the clients (each finishes its request in flight) and returns every result. */
    List<Result> stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(20));
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still has a request in flight after 20 s");
            }
        }
        return results();
    }

    static List<Result> failures(List<Result> results) {
        return results.stream().filter(result -> !result.ok()).toList();
    }

    @Override
    public void close() {
        stopping = true;
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
