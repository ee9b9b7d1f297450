package io.warhorse.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings from the environment: every setting has one variable, {@code WARHORSE_} plus its path below
 * {@code warhorse} upper-cased, with dots and dashes as underscores ({@code warhorse.worker-connections} is
 * {@code WARHORSE_WORKER_CONNECTIONS}, {@code warhorse.async.threads} is {@code WARHORSE_ASYNC_THREADS}).
 * Other {@code WARHORSE_*} variables are left alone: the scripts use some ({@code WARHORSE_JAVA_HOME}).
 */
public final class EnvVars {

    private EnvVars() {}

    /** The variable that sets {@code path}. */
    public static String nameOf(String path) {
        return path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The settings {@code env} sets, each with origin {@code env NAME}. */
    public static List<ConfigOverride> overrides(Map<String, String> env) {
        List<ConfigOverride> overrides = new ArrayList<>();
        for (String path : Reference.settings()) {
            String name = nameOf(path);
            String value = env.get(name);
            if (value != null) {
                overrides.add(new ConfigOverride(path, value, "env " + name));
            }
        }
        return overrides;
    }
}
