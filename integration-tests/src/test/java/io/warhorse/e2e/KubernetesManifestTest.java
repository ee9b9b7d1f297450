package io.warhorse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.warhorse.core.config.EnvVars;
import io.warhorse.core.config.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * conf/kubernetes/warhorse.yaml, parsed (no cluster runs here) and checked against what warhorse does with its
 * settings: the probes hit the health paths of reference.conf on the app port the args bind, the preStop hook is
 * the drain delay, the grace period covers it and graceful-timeout, Prometheus scrapes the admin port the args
 * bind, and the memory request covers the resident memory measured for a master and its workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestTest {

    /** Resident memory measured by ReleaseTarballTest on JDK 25 after one request (2 runs: master 135 and 158, worker 124 and 108 MiB), rounded up. */
    private static final long MASTER_RSS_MIB = 160;
    private static final long WORKER_RSS_MIB = 130;
    /** The master's SIGKILL grace after graceful-timeout (Arbiter.KILL_GRACE). */
    private static final long KILL_GRACE_SECONDS = 3;

    private JsonNode deployment;
    private JsonNode service;
    private JsonNode container;
    private List<String> args;

    @BeforeAll
    void parse() throws Exception {
        Path manifest = Path.of(System.getProperty("warhorse.conf", "../conf")).resolve("kubernetes/warhorse.yaml");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifest.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        deployment = documents.stream().filter(doc -> doc.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        service = documents.stream().filter(doc -> doc.path("kind").asText().equals("Service")).findFirst().orElseThrow();
        container = deployment.at("/spec/template/spec/containers/0");
        args = StreamSupport.stream(container.path("args").spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void probesHitTheHealthPathsOnTheBoundAppPort() {
        int appPort = port(arg("--bind"));
        assertEquals(appPort, containerPort("http"));
        assertEquals(Reference.defaultValue("warhorse.health.readiness-path").unwrapped(), container.at("/readinessProbe/httpGet/path").asText());
        assertEquals(Reference.defaultValue("warhorse.health.liveness-path").unwrapped(), container.at("/livenessProbe/httpGet/path").asText());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe);
        }
        assertEquals(true, Reference.defaultValue("warhorse.health.enabled").unwrapped(), "the endpoints are on by default");
    }

    @Test
    void preStopIsTheDrainDelayAndTheGracePeriodCoversTheDrain() {
        long preStop = container.at("/lifecycle/preStop/sleep/seconds").asLong();
        assertTrue(preStop > 0, "a preStop sleep keeps serving while the pod leaves the Service");
        Duration drainDelay = setting("warhorse.shutdown.drain-delay");
        assertEquals(Duration.ZERO, drainDelay, "warhorse's own drain-delay would add to the preStop sleep");
        Duration graceful = setting("warhorse.graceful-timeout");
        assertEquals(Duration.ofSeconds(30), graceful, "graceful-timeout as reference.conf has it");
        long needed = preStop + drainDelay.toSeconds() + graceful.toSeconds() + KILL_GRACE_SECONDS;
        long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= needed && grace <= needed + 15, "terminationGracePeriodSeconds " + grace + " vs " + needed + " needed");
    }

    @Test
    void prometheusScrapesTheAdminPort() {
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        int adminPort = port(arg("--admin-bind"));
        assertTrue(arg("--admin-bind").startsWith("0.0.0.0:"), "the admin port must be reachable from Prometheus");
        assertEquals(String.valueOf(adminPort), annotations.path("prometheus.io/port").asText());
        assertEquals(adminPort, containerPort("admin"));
        assertEquals("/metrics", annotations.path("prometheus.io/path").asText());
    }

    @Test
    void memoryRequestCoversTheMeasuredResidentMemory() {
        int workers = Integer.parseInt(arg("--workers"));
        long request = mebibytes(container.at("/resources/requests/memory").asText());
        long limit = mebibytes(container.at("/resources/limits/memory").asText());
        long measured = MASTER_RSS_MIB + workers * WORKER_RSS_MIB;
        assertTrue(request >= measured, "requests.memory " + request + "Mi below the measured " + measured + "Mi");
        assertTrue(limit >= measured + WORKER_RSS_MIB, "a recycle runs one worker more for a moment: limit " + limit + "Mi");
        assertNotNull(container.at("/resources/requests/cpu").textValue());
    }

    @Test
    void theServiceSelectsThePodsAndTargetsTheAppPort() {
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        service.path("spec").path("selector").properties().forEach(entry ->
                assertEquals(entry.getValue().asText(), labels.path(entry.getKey()).asText(), entry.getKey()));
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        assertEquals(deployment.at("/spec/selector/matchLabels"), labels);
    }

    // ---- helpers

    private String arg(String flag) {
        int at = args.indexOf(flag);
        assertTrue(at >= 0 && at + 1 < args.size(), flag + " in the container's args " + args);
        return args.get(at + 1);
    }

    /** The value the manifest's environment gives a setting, else reference.conf's default. */
    private Duration setting(String path) {
        String env = EnvVars.nameOf(path);
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(env)) {
                return com.typesafe.config.ConfigFactory.parseMap(Map.of("d", variable.path("value").asText())).getDuration("d");
            }
        }
        return Reference.config().getDuration(path);
    }

    private int containerPort(String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertTrue(quantity.endsWith("Mi"), "a memory quantity in Mi or Gi: " + quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }
}
