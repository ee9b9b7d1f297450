package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warhorse.it.Http;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master only supervises, so it runs with {@code lib/} alone: what only workers load (Undertow's servlet layer,
 * XNIO, Jasper and ECJ, the session stores' drivers...) is in {@code lib/worker/}, which the workers' class path adds,
 * and the master's metrics JSON is written with jackson-core's streaming API, not the object mapper. A real master
 * logs every class it loads while it serves, answers the admin endpoints and stops; {@code --check-config}, which
 * deploys the apps, does it in a JVM of the workers' class path.
 */
class MasterClassPathTest {

    /** Packages of the jars only a worker needs: the master must load none of their classes. */
    private static final List<String> WORKER_ONLY = List.of("com.fasterxml.jackson.databind.", "io.undertow.servlet.",
            "io.undertow.server.", "io.undertow.websockets.", "org.xnio.", "org.apache.jasper.", "org.apache.tomcat.",
            "org.eclipse.jdt.", "jakarta.servlet.", "org.jboss.metadata.", "redis.clients.", "io.netty.",
            "org.sqlite.core.", "org.sqlite.jdbc");
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\] (\\S+) source: ");
    private static final Pattern ADMIN = Pattern.compile("admin listener at http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void workerOnlyJarsAreOutOfTheMastersFolder() throws Exception {
        Set<String> master = jars(Warhorse.home().resolve("lib"));
        Set<String> workers = jars(Warhorse.home().resolve("lib/worker"));
        for (String jar : List.of("undertow-servlet", "xnio-nio", "tomcat-jasper", "ecj", "jboss-metadata-web")) {
            assertTrue(workers.stream().anyMatch(name -> name.startsWith(jar + "-")), jar + " in lib/worker/: " + workers);
            assertTrue(master.stream().noneMatch(name -> name.startsWith(jar + "-")), jar + " not in lib/: " + master);
        }
        assertTrue(master.stream().noneMatch(workers::contains), "no jar in both folders");
        // the master reads a Redis store once at start (RedisSessionsTest): its client is the master's too
        assertTrue(master.stream().anyMatch(name -> name.startsWith("jedis-")), "jedis in lib/: " + master);
        assertTrue(Stream.concat(master.stream(), workers.stream()).noneMatch(name -> name.startsWith("jackson-databind")),
                "no jackson-databind at all: " + master + workers);
    }

    @Test
    void theMasterLoadsNoClassOfAWorkerOnlyJar() throws Exception {
        Path log = dir.resolve("master-classes.log");
        try (Warhorse master = Warhorse.serve("master-classes", dir, 1,
                Map.of("WARHORSE_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "--workers", "1", "--bind", "127.0.0.1:0", "--admin-bind", "127.0.0.1:0", Warhorse.war("hello") + "=/")) {
            assertEquals(200, Http.get(master.port(), "/hello").status(), "the worker has what it needs");
            Matcher admin = ADMIN.matcher(master.awaitLine(ADMIN.pattern(), 0, Duration.ofSeconds(30)).text());
            assertTrue(admin.find());
            URI metrics = URI.create("http://127.0.0.1:" + admin.group(1) + "/metrics.json?history=1");
            master.await(Duration.ofSeconds(30), () -> new ObjectMapper().readTree(Http.get(metrics).body())
                    .path("counters").path("requests.total").asLong() >= 1);
            JsonNode json = new ObjectMapper().readTree(Http.get(metrics).body());
            assertEquals(1, json.path("workers").size(), "the merged metrics as JSON: " + json);
            master.signal("TERM");
            assertEquals(0, master.awaitExit(Duration.ofSeconds(60)));
        }
        List<String> classes = Files.readAllLines(log).stream().map(LOADED::matcher).filter(Matcher::find)
                .map(matcher -> matcher.group(1)).toList();
        assertTrue(classes.size() > 1000, "the master's class loading was logged: " + classes.size() + " classes");
        List<String> workerOnly = classes.stream().filter(name -> WORKER_ONLY.stream().anyMatch(name::startsWith)).toList();
        assertEquals(List.of(), workerOnly, "classes of worker-only jars in the master");
        // the worker kinds, found by ServiceLoader in the master, link against Undertow's buffer-pool interface
        List<String> undertow = classes.stream().filter(name -> name.startsWith("io.undertow.")).toList();
        assertTrue(undertow.size() <= 3, "the master loads next to nothing of Undertow: " + undertow);
    }

    /** One check of a good app and a broken one: the first deploys, the second fails with its reason, exit 1. */
    @Test
    void checkConfigDeploysTheAppsInAJvmOfTheWorkersClassPath() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken/WEB-INF"));
        Files.writeString(broken.resolve("web.xml"), "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">"
                + "<servlet><servlet-name>x</servlet-name><servlet-class>no.such.Servlet</servlet-class>"
                + "<load-on-startup>1</load-on-startup></servlet></web-app>");
        try (Warhorse check = Warhorse.start("check-config", dir, "--check-config", Warhorse.war("hello") + "=/ok",
                broken.getParent() + "=/broken")) {
            assertEquals(1, check.awaitExit(Duration.ofSeconds(120)), check.output());
            assertTrue(check.output().matches("(?s).*app /ok \\(.*\\): deployed in \\d+ ms.*"), "the good app deployed: " + check.output());
            assertTrue(check.output().contains("servlet x: class no.such.Servlet is not in the WAR"), "the reason: " + check.output());
        }
    }

    private static Set<String> jars(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
