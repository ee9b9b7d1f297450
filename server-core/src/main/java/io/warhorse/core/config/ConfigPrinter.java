package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.PrintStream;

/**
 * Writes what {@code --print-config} shows: every setting's effective value, one per line in reference.conf's
 * order, as HOCON a user can paste into a file, with where it came from:
 * {@code warhorse.threads = 8  # /etc/warhorse.conf:12}.
 */
public final class ConfigPrinter {

    private ConfigPrinter() {}

    public static void print(Config config, PrintStream out) {
        for (String path : Reference.settings()) {
            out.println(line(config, path));
        }
    }

    static String line(Config config, String path) {
        ConfigValue value = config.getValue(path);
        return path + " = " + value.render(ConfigRenderOptions.concise()) + "  # " + ConfigProblem.describe(value.origin());
    }
}
