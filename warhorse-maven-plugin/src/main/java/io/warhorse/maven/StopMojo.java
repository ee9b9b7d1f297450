package io.warhorse.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code warhorse:stop} (bound to {@code post-integration-test} by default): stops the warhorse that
 * {@code warhorse:start} started, by the pid in {@code target/warhorse/warhorse.pid}: TERM, so its workers drain,
 * then KILL after {@code stopTimeout}. Nothing to stop is not an error. Runs on Maven's thread.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public final class StopMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project.build.directory}/warhorse", readonly = true)
    File workDirectory;

    /** How long the graceful stop may take before the master and its workers are killed. */
    @Parameter(defaultValue = "60", property = "warhorse.stopTimeout")
    int stopTimeoutSeconds;

    @Override
    public void execute() throws MojoExecutionException {
        Path pidFile = workDirectory.toPath().resolve("warhorse.pid");
        Optional<ProcessHandle> master = master(pidFile);
        if (master.isEmpty()) {
            getLog().info("warhorse: not running (" + pidFile + ")");
        } else if (Processes.stop(master.get(), stopTimeoutSeconds)) {
            getLog().info("warhorse: pid " + master.get().pid() + " stopped");
        } else {
            getLog().warn("warhorse: pid " + master.get().pid() + " did not stop within " + stopTimeoutSeconds + " s; killed it");
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot remove " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The running warhorse master of {@code pidFile} ("PID START-MILLIS", as {@link #pidLine} writes it): only a
     * live process started at that instant, never a reused pid.
     */
    static Optional<ProcessHandle> master(Path pidFile) {
        try {
            String[] words = Files.readString(pidFile).strip().split(" ");
            long started = Long.parseLong(words[1]);
            return ProcessHandle.of(Long.parseLong(words[0])).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What the pid file holds: the pid and the start time that tells it from a later process with the same pid. */
    static String pidLine(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n";
    }
}
