package io.warhorse.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** warhorse's version, as {@code --version} prints it: from the jar's manifest, else Maven's pom.properties, else "dev". */
final class Version {

    private static final String POM_PROPERTIES = "/META-INF/maven/io.warhorse/server-core/pom.properties";

    private Version() {}

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version != null ? version : fromPomProperties();
    }

    private static String fromPomProperties() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
