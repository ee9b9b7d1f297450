package io.warhorse.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What {@code run} and {@code start} share: the webapp to serve, the worker kind and settings from the plugin's
 * configuration, and the command line that starts warhorse. Runs on Maven's thread.
 */
abstract class AbstractWarhorseMojo extends AbstractMojo {

    /** The exploded webapp the war plugin builds in {@code package}. */
    @Parameter(defaultValue = "${project.build.directory}/${project.build.finalName}", property = "warhorse.webapp")
    File webappDirectory;

    /** Where the webapp is mounted. */
    @Parameter(defaultValue = "/", property = "warhorse.contextPath")
    String contextPath;

    /** The worker kind: sync, virtual or async (warhorse's --worker); warhorse's default when not set. */
    @Parameter(property = "warhorse.worker")
    String worker;

    /** Worker processes (--workers); warhorse's default when not set. */
    @Parameter(property = "warhorse.workers")
    Integer workers;

    /** Where warhorse listens (--bind); port 0 picks a free one. */
    @Parameter(defaultValue = "127.0.0.1:8080", property = "warhorse.bind")
    String bind;

    /** Any setting of warhorse's reference.conf, without "warhorse.": {@code <request-timeout>30s</request-timeout>}. */
    @Parameter
    Map<String, String> settings = new LinkedHashMap<>();

    /** More warhorse flags, as on its command line. */
    @Parameter
    List<String> args = new ArrayList<>();

    /** A JDK 25 or newer for warhorse; found by itself when not set (see the README). */
    @Parameter(property = "warhorse.javaHome")
    File javaHome;

    /** Where the settings file, the log and the pid file of a started warhorse go. */
    @Parameter(defaultValue = "${project.build.directory}/warhorse", readonly = true)
    File workDirectory;

    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    List<Artifact> pluginArtifacts;

    /** The command that serves the webapp, with {@code reload} deciding --reload. */
    List<String> command(boolean reload) throws MojoExecutionException {
        if (!webappDirectory.isDirectory()) {
            throw new MojoExecutionException("no exploded webapp at " + webappDirectory + ": is this a war project, and did "
                    + "`package` run? (warhorse:run runs it; for warhorse:start bind it after package)");
        }
        Path java = JdkFinder.java(javaHome == null ? null : javaHome.toPath()).orElseThrow(() -> new MojoExecutionException(
                "warhorse needs a JDK " + JdkFinder.NEEDED + " or newer and found none: set <javaHome> in the plugin's "
                        + "configuration, or WARHORSE_JAVA_HOME"));
        List<String> flags = new ArrayList<>(List.of("--bind", bind));
        if (worker != null) {
            flags.addAll(List.of("--worker", worker));
        }
        if (workers != null) {
            flags.addAll(List.of("--workers", workers.toString()));
        }
        if (reload) {
            flags.add("--reload");
        }
        flags.addAll(args);
        flags.add(webappDirectory.getAbsolutePath() + "=" + contextPath);
        List<File> jars = pluginArtifacts.stream().map(Artifact::getFile).filter(file -> file != null && file.isFile()).toList();
        try {
            return WarhorseCommand.build(java, jars, workDirectory.toPath().resolve("warhorse.conf"), settings, flags);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + workDirectory + "/warhorse.conf: " + e.getMessage(), e);
        }
    }
}
