package io.warhorse.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * warhorse's version and the commit it was built from, as {@code --version} prints them and as the apps'
 * {@code ServletContext.getServerInfo()} names the server. The build writes both into
 * {@code META-INF/warhorse/build.properties} (server-core/pom.xml asks git; "unknown" when built without .git);
 * a class path without that file (an IDE's) says "dev". Runs on the main thread (the master's, a worker's).
 */
public final class Version {

    private static final String BUILD_PROPERTIES = "/META-INF/warhorse/build.properties";

    private Version() {}

    /** {@code 0.1.0 (commit 1a2b3c4d5e6f)}, with {@code , modified} when the work tree had uncommitted changes. */
    public static String current() {
        Properties build = buildProperties();
        String version = build.getProperty("version", "dev");
        String commit = build.getProperty("commit", "unknown");
        boolean dirty = Boolean.parseBoolean(build.getProperty("dirty", "false"));
        return version + " (commit " + commit + (dirty ? ", modified" : "") + ")";
    }

    /** The version alone: {@code 0.1.0}, or {@code dev}. */
    public static String number() {
        return buildProperties().getProperty("version", "dev");
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(BUILD_PROPERTIES)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // an unreadable file says as much as a missing one: the defaults above
        }
        return properties;
    }
}
