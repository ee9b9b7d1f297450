package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one {@link Settings} of a run from its sources, later ones winning: reference.conf, the user's
 * file ({@code -c}), the environment, the command line. Every problem is collected before giving up, so a
 * user fixes a file in one go instead of one error per start.
 */
public final class ConfigLoader {

    /**
     * What a run was given.
     *
     * @param file  the user's file, or null for none
     * @param env   the process environment (injected so tests need no real one)
     * @param flags settings from the command line, app arguments included
     * @param cwd   where relative paths from the environment and the command line resolve
     * @param fileText the text of {@code file} when it is a pipe read once ({@link #readPipeOnce}), else null
     */
    public record Inputs(Path file, Map<String, String> env, List<ConfigOverride> flags, Path cwd, String fileText) {
        public Inputs(Path file, Map<String, String> env, List<ConfigOverride> flags, Path cwd) {
            this(file, env, flags, cwd, null);
        }
    }

    /** The most a config given as a pipe may hold. */
    private static final int MAX_PIPE_TEXT = 16 << 20;

    /**
     * {@code inputs} with its file read now when it is a pipe ({@code -c <(...)}, {@code /dev/stdin}): a pipe can be
     * read once, and a reload (HUP) reads the same inputs again, so they keep its text. A regular file is read anew
     * at each load. Relative paths in a pipe's text resolve against the working directory (it has no folder).
     */
    public static Inputs readPipeOnce(Inputs inputs) throws InvalidConfigException {
        Path file = inputs.file();
        if (file == null || inputs.fileText() != null || !Files.exists(file) || Files.isRegularFile(file) || Files.isDirectory(file)) {
            return inputs;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] text = in.readNBytes(MAX_PIPE_TEXT + 1);
            if (text.length > MAX_PIPE_TEXT) {
                throw new InvalidConfigException(new ConfigProblem(null, null, "config file " + file + " holds more than "
                        + (MAX_PIPE_TEXT >> 20) + " MiB"));
            }
            return new Inputs(file, inputs.env(), inputs.flags(), inputs.cwd(),
                    new String(text, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new InvalidConfigException(new ConfigProblem(null, null, "config file " + file + " cannot be read: " + e.getMessage()));
        }
    }

    /** The merged configuration (each value with its origin, for --print-config) and the settings built from it. */
    /** The merged settings, read; and every path setting as resolved against where it was set ({@code paths}). */
    public record Loaded(Config config, Settings settings, Map<String, Object> paths) {}

    private ConfigLoader() {}

    /**
     * @param workerKinds the names {@code warhorse.worker.kind} may take: the kinds on the class path
     * @throws InvalidConfigException with every problem found: unknown keys, wrong types, values out of range
     */
    public static Loaded load(Inputs inputs, Set<String> workerKinds) throws InvalidConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Config file = inputs.file() == null ? ConfigFactory.empty()
                : inputs.fileText() != null ? parseText(inputs.file(), inputs.fileText()) : parseFile(inputs.file());
        problems.addAll(UnknownKeys.find(file));
        Config env = layer(EnvVars.overrides(inputs.env()), problems);
        Config flags = layer(inputs.flags(), problems);
        Config merged = resolve(flags.withFallback(env).withFallback(file).withFallback(Reference.config()));
        Set<String> invalid = checkTypes(merged, problems);
        SettingsReader reader = new SettingsReader(merged, invalid, workerKinds, inputs.cwd(), problems);
        Settings settings = reader.read();
        throwIfAny(problems);
        return new Loaded(merged.withOnlyPath(Reference.ROOT), settings, reader.resolvedPaths());
    }

    /**
     * Reads settings the master has already checked and written whole ({@link ResolvedSettings}): every setting is in
     * {@code file}, so reference.conf is neither parsed nor merged, nor the file checked against it again; what is
     * read is still read by the same {@link SettingsReader}, and a problem it finds still throws. A worker reads its
     * settings this way on its way to its first request.
     */
    static Settings readComplete(Path file, Set<String> workerKinds) throws InvalidConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Config config = resolve(parseFile(file));
        Settings settings;
        try {
            settings = new SettingsReader(config, Set.of(), workerKinds, file.toAbsolutePath().getParent(), problems).read();
        } catch (ConfigException e) { // a setting missing: not a file the master wrote for this install
            throw new InvalidConfigException(ConfigProblem.at(e.origin(), null, withoutOrigin(e)));
        }
        throwIfAny(problems);
        return settings;
    }

    /** Throws every problem found, in the order of where each was set; nothing if there is none. */
    private static void throwIfAny(List<ConfigProblem> problems) throws InvalidConfigException {
        if (!problems.isEmpty()) {
            problems.sort(ConfigProblem.BY_PLACE);
            throw new InvalidConfigException(problems);
        }
    }

    /** Parses the user's file as HOCON; a missing file or a syntax error stops here, there is nothing to check. */
    static Config parseFile(Path file) throws InvalidConfigException {
        if (!Files.exists(file)) {
            throw new InvalidConfigException(new ConfigProblem(null, null, "config file " + file + " does not exist"));
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidConfigException(new ConfigProblem(null, null, "config file " + file + " is not a readable file"));
        }
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException(ConfigProblem.at(e.origin(), null, "syntax error: " + withoutOrigin(e)));
        }
    }

    /** Parses the text read from the pipe {@code file}; its values' origins name the pipe, with their lines. */
    static Config parseText(Path file, String text) throws InvalidConfigException {
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(file.toString()));
        } catch (ConfigException e) {
            throw new InvalidConfigException(ConfigProblem.at(e.origin(), null, "syntax error: " + withoutOrigin(e)));
        }
    }

    /** Turns overrides into one config, each value typed after the setting's default in reference.conf. */
    static Config layer(List<ConfigOverride> overrides, List<ConfigProblem> problems) {
        Config layer = ConfigFactory.empty();
        for (ConfigOverride override : overrides) {
            if (!Reference.isSetting(override.path())) {
                String suggestion = Reference.suggest(override.path());
                problems.add(new ConfigProblem(override.origin(), override.path(),
                        "unknown setting" + (suggestion == null ? "" : "; did you mean " + suggestion + "?")));
                continue;
            }
            try {
                layer = layer.withValue(override.path(), toValue(override));
            } catch (ConfigException e) {
                problems.add(new ConfigProblem(override.origin(), override.path(),
                        "expected a list such as [\"a.war\", \"b.war=/\"] or a.war,b.war=/, got " + override.value()));
            }
        }
        return layer;
    }

    private static ConfigValue toValue(ConfigOverride override) {
        ConfigValueType type = Reference.type(override.path());
        if (type == ConfigValueType.NUMBER && override.value() instanceof String text) {
            return ConfigValueFactory.fromAnyRef(numberOrText(text.strip()), override.origin());
        }
        if (type != ConfigValueType.LIST) {
            return ConfigValueFactory.fromAnyRef(((String) override.value()).strip(), override.origin());
        }
        if (override.value() instanceof List<?> list) {
            return ConfigValueFactory.fromIterable(list, override.origin());
        }
        String text = ((String) override.value()).strip();
        List<?> items = text.startsWith("[")
                ? ConfigFactory.parseString("v = " + text).getList("v").unwrapped()
                : Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
        return ConfigValueFactory.fromIterable(items, override.origin());
    }

    /** {@code "32"} becomes 32, so --print-config shows a number; anything else stays text, for the check to report. */
    private static Object numberOrText(String text) {
        try {
            if (text.matches("-?[0-9]+")) {
                return Long.parseLong(text);
            }
            return text.matches("-?[0-9]*\\.[0-9]+") ? Double.parseDouble(text) : text;
        } catch (NumberFormatException tooLong) {
            return text;
        }
    }

    private static Config resolve(Config merged) throws InvalidConfigException {
        try {
            return merged.resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(ConfigProblem.at(e.origin(), null, withoutOrigin(e)));
        }
    }

    private static List<String> blockSettings(String block) {
        return Reference.settings().stream().filter(setting -> setting.startsWith(block + ".")).limit(3).toList();
    }

    /** Runs Typesafe's own check against reference.conf; returns the paths it found with a value of the wrong shape. */
    private static Set<String> checkTypes(Config merged, List<ConfigProblem> problems) {
        Set<String> invalid = new HashSet<>();
        try {
            merged.checkValid(Reference.config(), Reference.ROOT);
        } catch (ConfigException.ValidationFailed e) {
            for (ConfigException.ValidationProblem problem : e.problems()) {
                invalid.add(problem.path());
                if (!Reference.isSetting(problem.path())) {
                    problems.add(ConfigProblem.at(problem.origin(), problem.path(),
                            "expected a block { ... } of settings (" + String.join(", ", blockSettings(problem.path()))
                                    + "), got " + SettingsReader.render(merged, problem.path())));
                }
            }
        }
        return invalid;
    }

    /** Typesafe prefixes its messages with the origin, which a {@link ConfigProblem} already shows. */
    static String withoutOrigin(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
            return message.substring(e.origin().description().length() + 2);
        }
        return message;
    }
}
