package io.warhorse.obs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code warhorse} launcher of the built distribution ({@code warhorse.home}), started with the given
 * arguments on 127.0.0.1 with free ports; its output is collected line by line. Close it to stop it (TERM, then
 * KILL after a deadline).
 */
final class RunningMaster implements AutoCloseable {

    static final Duration BOOT = Duration.ofSeconds(60);
    private static final Pattern APP_PORT = Pattern.compile("listening at http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN_PORT = Pattern.compile("admin listener at http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern CONTROL_SOCKET = Pattern.compile("control socket (\\S+)$");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private int appPort;
    private int adminPort;

    private RunningMaster(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("master-output").start(this::collect);
    }

    static Path home() {
        return Path.of(System.getProperty("warhorse.home", "../distribution/target/warhorse")).toAbsolutePath();
    }

    static Path app(String name) {
        return home().resolve("apps").resolve(name + ".war");
    }

    /** Starts the launcher with {@code args} (plus nothing else) and returns at once. */
    static RunningMaster launch(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/warhorse").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        io.warhorse.it.TestTmp.into(builder.environment());
        return new RunningMaster(builder.start());
    }

    /** Starts it and waits until {@code workers} workers said ready and both ports are known. */
    static RunningMaster start(int workers, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--workers", String.valueOf(workers), "--bind", "127.0.0.1:0",
                "--admin-bind", "127.0.0.1:0"));
        all.addAll(List.of(args));
        RunningMaster master = launch(all);
        try {
            master.await(BOOT, () -> master.count(" ready (") >= workers && master.appPort > 0 && master.adminPort > 0);
        } catch (AssertionError e) {
            master.close();
            throw e;
        }
        return master;
    }

    private void collect() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
                Matcher app = APP_PORT.matcher(line);
                if (app.find()) {
                    appPort = Integer.parseInt(app.group(1));
                }
                Matcher admin = ADMIN_PORT.matcher(line);
                if (admin.find()) {
                    adminPort = Integer.parseInt(admin.group(1));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    long count(String fragment) {
        return output.stream().filter(line -> line.contains(fragment)).count();
    }

    List<String> output() {
        return List.copyOf(output);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    URI app(String pathAndQuery, boolean admin) {
        return URI.create("http://127.0.0.1:" + (admin ? adminPort : appPort) + pathAndQuery);
    }

    URI appUri(String pathAndQuery) {
        return app(pathAndQuery, false);
    }

    URI adminUri(String pathAndQuery) {
        return app(pathAndQuery, true);
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code warhorse ctl --socket SOCKET words...}; returns its output, failing on a non-zero exit. */
    String ctl(String... words) throws IOException, InterruptedException {
        String socket = output.stream().map(CONTROL_SOCKET::matcher).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("no control socket in the master's output"));
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/warhorse").toString(), "ctl", "--socket", socket));
        command.addAll(List.of(words));
        Process ctl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ctl.waitFor(30, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
            throw new AssertionError("warhorse ctl " + String.join(" ", words) + " failed: " + text);
        }
        return text;
    }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    void await(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + limit + "; master output:\n" + String.join("\n", output));
            }
            if (!process.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError("master exited with " + process.exitValue() + ":\n" + String.join("\n", output));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: graceful stop of the master and its workers
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
