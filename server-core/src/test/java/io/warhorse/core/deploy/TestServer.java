package io.warhorse.core.deploy;

import com.codahale.metrics.MetricRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.ServletContainer;
import io.warhorse.core.config.AppSpec;
import io.warhorse.core.config.Settings;
import io.warhorse.core.config.TestSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain Undertow on 127.0.0.1, a free port, with deployed apps mounted at their context paths. */
final class TestServer implements AutoCloseable {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    final ServletContainer container = Servlets.newContainer();
    final MetricRegistry metrics = new MetricRegistry();
    final WarDeployer deployer;
    private final PathHandler paths = Handlers.path();
    private final List<DeployedApp> apps = new ArrayList<>();
    private final Undertow undertow;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(DEADLINE).build();

    TestServer(Path tempDir) {
        this(tempDir, new String[0]);
    }

    /** {@code settings}: setting paths and values, as for {@link TestSettings#of}. */
    TestServer(Path tempDir, String... settings) {
        deployer = WarDeployer.create(deploySettings(tempDir, settings), metrics);
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(paths).build();
        undertow.start();
    }

    /** A third-party WAR the build copied for the tests (a Jetty demo), by its artifact id. */
    static Path testWar(String artifact) {
        return Path.of(System.getProperty("warhorse.test-wars", "target/test-wars")).resolve(artifact + ".war");
    }

    static Settings.Deploy deploySettings(Path tempDir, String... settings) {
        List<String> pairs = new ArrayList<>(List.of("warhorse.deploy.temp-dir", tempDir.toString()));
        pairs.addAll(List.of(settings));
        return TestSettings.of(pairs.toArray(String[]::new)).deploy();
    }

    DeployedApp deploy(Path source, String contextPath) throws DeploymentException {
        DeployedApp app = deployer.deploy(new AppSpec(source, contextPath), info -> {}, container);
        apps.add(app);
        paths.addPrefixPath(contextPath, app.handler());
        return app;
    }

    /** Unmounts and closes {@code app}, as a worker does on shutdown. */
    void undeploy(DeployedApp app) {
        paths.removePrefixPath(app.spec().contextPath());
        apps.remove(app);
        app.close();
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** GET {@code path} (raw: not normalised or re-encoded by the client). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(DEADLINE).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(DEADLINE).POST(HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        apps.forEach(DeployedApp::close);
        undertow.stop();
        client.close();
    }
}
