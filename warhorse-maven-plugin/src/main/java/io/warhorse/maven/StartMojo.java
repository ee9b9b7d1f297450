package io.warhorse.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code warhorse:start} (bound to {@code pre-integration-test} by default): starts warhorse in the background on
 * the packaged exploded webapp and returns once a worker serves, for integration tests; {@code warhorse:stop}
 * stops it. Writes {@code target/warhorse/warhorse.pid} (pid and start time), {@code warhorse.port} (the port it listens on, useful
 * with {@code <bind>127.0.0.1:0</bind>}) and {@code warhorse.log}. Runs on Maven's thread.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public final class StartMojo extends AbstractWarhorseMojo {

    private static final Pattern LISTENING = Pattern.compile("listening at http://[^ ]*:(\\d+) ");

    /** How long warhorse may take to listen and have a worker ready. */
    @Parameter(defaultValue = "120", property = "warhorse.startTimeout")
    int startTimeoutSeconds;

    @Override
    public void execute() throws MojoExecutionException {
        Path dir = workDirectory.toPath();
        Path pidFile = dir.resolve("warhorse.pid");
        if (Files.exists(pidFile)) {
            Optional<ProcessHandle> running = StopMojo.master(pidFile);
            if (running.isPresent()) {
                throw new MojoExecutionException("warhorse already runs (pid " + running.get().pid() + ", " + pidFile
                        + "): run warhorse:stop first");
            }
        }
        List<String> command = command(false);
        Path log = dir.resolve("warhorse.log");
        try {
            Process warhorse = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Files.writeString(pidFile, StopMojo.pidLine(warhorse.toHandle()));
            int port = awaitReady(warhorse, log);
            Files.writeString(dir.resolve("warhorse.port"), port + "\n");
            getLog().info("warhorse: pid " + warhorse.pid() + " serves " + webappDirectory + " at http://127.0.0.1:" + port
                    + contextPath + " (log " + log + ")");
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start warhorse: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while warhorse started", e);
        }
    }

    /** Waits for the master's listening line and a worker's "ready"; returns the port. */
    private int awaitReady(Process warhorse, Path log) throws IOException, InterruptedException, MojoExecutionException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeoutSeconds);
        while (System.nanoTime() < end) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Matcher listening = LISTENING.matcher(text);
            if (listening.find() && text.contains(" ready (")) {
                return Integer.parseInt(listening.group(1));
            }
            if (warhorse.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new MojoExecutionException("warhorse exited with code " + warhorse.exitValue() + " before it served:\n"
                        + text);
            }
        }
        Processes.stop(warhorse.toHandle(), 30);
        throw new MojoExecutionException("warhorse did not serve within " + startTimeoutSeconds + " s; stopped it. Log: " + log);
    }
}
