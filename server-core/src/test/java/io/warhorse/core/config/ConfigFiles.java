package io.warhorse.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helpers: writes real files and loads them the way the command does. */
final class ConfigFiles {

    static final Set<String> KINDS = Set.of("async", "sync", "virtual");

    private ConfigFiles() {}

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConfigLoader.Loaded load(Path file, Map<String, String> env, List<ConfigOverride> flags, Path cwd)
            throws InvalidConfigException {
        return ConfigLoader.load(new ConfigLoader.Inputs(file, env, flags, cwd), KINDS);
    }

    static List<String> problems(Path file, Map<String, String> env, List<ConfigOverride> flags, Path cwd) {
        try {
            load(file, env, flags, cwd);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected configuration problems, got none");
    }

    static List<String> problems(Path file) {
        return problems(file, Map.of(), List.of(), file.getParent());
    }

    static ConfigOverride flag(String path, String value) {
        String flag = io.warhorse.core.cli.Flag.ALL.stream().filter(f -> f.path().equals(path)).findFirst()
                .map(io.warhorse.core.cli.Flag::name).orElse("--" + path.substring(path.lastIndexOf('.') + 1));
        return new ConfigOverride(path, value, "command line " + flag);
    }
}
