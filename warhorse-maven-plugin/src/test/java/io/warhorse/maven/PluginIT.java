package io.warhorse.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin in a user's webapp project ({@code src/it/sample-webapp}, copied): the real {@code mvn} (the Maven that
 * runs this build) runs with the
 * plugin from {@code target/it-repo} (filled by invoker:install; nothing goes to ~/.m2). {@code warhorse:run}
 * serves the webapp with the configured worker kind, and a rebuild ({@code mvn package}) is served without a
 * restart; {@code warhorse:start} returns once it serves and {@code warhorse:stop} stops it.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class PluginIT {

    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final Pattern LISTENING = Pattern.compile("warhorse master \\(pid (\\d+)\\) listening at http://127\\.0\\.0\\.1:(\\d+) ");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Process> started = new ArrayList<>();
    private final List<Long> masters = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        masters.forEach(pid -> ProcessHandle.of(pid).ifPresent(master -> Processes.stop(master, 30)));
        started.forEach(process -> Processes.stop(process.toHandle(), 30));
    }

    @Test
    void runServesTheWebappAndARebuildIsServedWithoutARestart() throws Exception {
        Path project = copySample("run");
        Output output = new Output();
        Process run = mvn(project, List.of("warhorse:run"), output);
        Matcher listening = LISTENING.matcher(output.await(line -> LISTENING.matcher(line).find(), run));
        assertTrue(listening.find());
        masters.add(Long.parseLong(listening.group(1)));
        URI hello = URI.create("http://127.0.0.1:" + listening.group(2) + "/hello");
        String v1 = awaitBody(hello, body -> body.startsWith("hello v1"));
        assertTrue(v1.contains("sync"), "the <worker>sync</worker> of the POM runs it: " + v1);

        Path source = project.resolve("src/main/java/com/example/HelloServlet.java");
        Files.writeString(source, Files.readString(source).replace("hello v1", "hello v2"));
        long rebuilt = System.nanoTime();
        Process build = mvn(project, List.of("-o", "package"), new Output());
        assertTrue(build.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "mvn package finished");
        assertEquals(0, build.exitValue(), "mvn package");
        awaitBody(hello, body -> body.startsWith("hello v2"));
        System.out.printf("warhorse:run: rebuilt classes served %d ms after `mvn package` started%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rebuilt));
        output.await(line -> line.contains("RELOAD (master pid"), run);

        assertTrue(Processes.stop(run.toHandle(), 60), "Maven stops on TERM");
        assertTrue(ProcessHandle.of(masters.getFirst()).map(master -> master.onExit().orTimeout(30, TimeUnit.SECONDS)
                .handle((done, e) -> e == null).join()).orElse(true), "warhorse stops with Maven");
    }

    @Test
    void startReturnsOnceItServesAndStopStopsIt() throws Exception {
        Path project = copySample("start-stop");
        Process start = mvn(project, List.of("package", "warhorse:start"), new Output());
        assertTrue(start.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "warhorse:start returned");
        Path dir = project.resolve("target/warhorse");
        long pid = Long.parseLong(Files.readString(dir.resolve("warhorse.pid")).strip().split(" ")[0]);
        masters.add(pid);
        assertEquals(0, start.exitValue(), Files.readString(dir.resolve("warhorse.log")));
        int port = Integer.parseInt(Files.readString(dir.resolve("warhorse.port")).strip());
        HttpResponse<String> hello = get(URI.create("http://127.0.0.1:" + port + "/hello"));
        assertEquals(200, hello.statusCode());
        assertTrue(hello.body().startsWith("hello v1"), hello.body());

        Process stop = mvn(project, List.of("-o", "warhorse:stop"), new Output());
        assertTrue(stop.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "warhorse:stop returned");
        assertEquals(0, stop.exitValue());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the master is gone");
        assertFalse(Files.exists(dir.resolve("warhorse.pid")));
        assertTrue(Files.readString(dir.resolve("warhorse.log")).contains("stopping gracefully"), "stopped with TERM");
    }

    // ---- Maven

    private Process mvn(Path project, List<String> goals, Output output) throws IOException {
        Path repo = Path.of(System.getProperty("it.repo")).toAbsolutePath();
        String mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-ntp", "-s", settings(project).toString(),
                "-Dmaven.repo.local=" + repo, "-Dwarhorse.version=" + System.getProperty("plugin.version")));
        command.addAll(goals);
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // a short-lived build: the client compiler alone and the serial collector start it for less CPU
        builder.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        builder.environment().keySet().removeIf(key -> key.startsWith("WARHORSE_"));
        Process process = builder.start();
        started.add(process);
        output.follow(process);
        return process;
    }

    /** Settings that take releases from the user's ~/.m2 first (as a file repository: copied, never written), then Central. */
    private static Path settings(Path project) throws IOException {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
        String repository = "<id>user-m2</id><url>" + m2.toUri() + "</url>"
                + "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";
        return Files.writeString(project.resolve("it-settings.xml"), """
                <settings>
                  <profiles><profile><id>user-m2</id>
                    <repositories><repository>%s</repository></repositories>
                    <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                  </profile></profiles>
                  <activeProfiles><activeProfile>user-m2</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository));
    }

    private static Path copySample(String name) throws IOException {
        Path sample = Path.of(System.getProperty("it.sample"));
        Path target = Path.of(System.getProperty("it.work")).resolve(name);
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path file : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        try (Stream<Path> files = Files.walk(sample)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(sample.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    // ---- HTTP

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String awaitBody(URI uri, Predicate<String> wanted) throws Exception {
        long end = System.nanoTime() + LIMIT.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> response = get(uri);
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && wanted.test(response.body())) {
                    return response.body();
                }
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("no wanted answer from " + uri + " within " + LIMIT + "; last: " + last);
    }

    /** A process's output, line by line, echoed to the test's own output. */
    private static final class Output {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        void follow(Process process) {
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                        System.out.println("  | " + line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** The first line that matches, waiting while {@code process} runs. */
        String await(Predicate<String> wanted, Process process) throws InterruptedException {
            long end = System.nanoTime() + LIMIT.toNanos();
            while (System.nanoTime() < end) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                if (!process.isAlive() && lines.stream().noneMatch(wanted)) {
                    throw new AssertionError("mvn exited with " + process.exitValue() + " first:\n" + String.join("\n", lines));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new AssertionError("no such line within " + LIMIT + ":\n" + String.join("\n", lines));
        }
    }
}
