package io.warhorse.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * {@code mvn warhorse:run}: builds the project up to {@code package} (the exploded webapp in
 * {@code target/FINALNAME}) and serves it with {@code --reload} until Ctrl-C, so another {@code mvn package} (or an
 * IDE building into that folder) reloads the app. Ctrl-C stops warhorse gracefully (TERM). Runs on Maven's thread,
 * which waits for warhorse; warhorse's log goes to Maven's console.
 */
@Mojo(name = "run", threadSafe = true)
@Execute(phase = LifecyclePhase.PACKAGE)
public final class RunMojo extends AbstractWarhorseMojo {

    /** Reload when the webapp (or a file of {@code <args>}' --reload-extra-file) changes. */
    @Parameter(defaultValue = "true", property = "warhorse.reload")
    boolean reload;

    @Override
    public void execute() throws MojoExecutionException {
        List<String> command = command(reload);
        getLog().info("warhorse: serving " + webappDirectory + " at " + contextPath + (reload ? " with --reload" : "")
                + "; Ctrl-C stops it");
        getLog().debug("warhorse: " + String.join(" ", command));
        Process warhorse;
        try {
            warhorse = new ProcessBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            throw new MojoExecutionException("cannot start warhorse: " + e.getMessage(), e);
        }
        Thread stopper = new Thread(() -> Processes.stop(warhorse.toHandle(), 60), "warhorse-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            int code = warhorse.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (code != 0) {
                throw new MojoExecutionException("warhorse exited with code " + code + " (its reason is in the log above)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.stop(warhorse.toHandle(), 60);
        }
    }
}
