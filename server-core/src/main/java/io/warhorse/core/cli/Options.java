package io.warhorse.core.cli;

import io.warhorse.core.config.ConfigOverride;
import io.warhorse.core.config.Reference;
import io.warhorse.core.worker.WorkerKinds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code warhorse} command line: its options ({@link Flag#ALL}, the only list of setting flags, plus the
 * command's own), what one invocation asked for, and {@code --help}. Parsed as GNU getopt and Python's argparse do:
 * {@code --name VALUE}, {@code --name=VALUE}, {@code -n VALUE}, {@code -nVALUE}, and a BOOL flag alone for true
 * ({@code --reuse-port}, as gunicorn's switches) or followed by true or false; the last of a repeated option wins
 * (but {@code --reload-extra-file} adds up); {@code --} ends the options; every other argument is an APP. Runs on
 * the main thread, once per start: it is on the way to the first worker, so it loads nothing it does not need.
 */
final class Options {

    /**
     * @param config    the {@code -c} file, resolved against the working directory, or null
     * @param overrides the settings given by flags and APP arguments
     */
    record Parsed(boolean help, boolean version, boolean printConfig, boolean checkConfig, Path config,
                  List<ConfigOverride> overrides) {}

    /** A command line that cannot be read: an unknown option, a missing or bad value. */
    static final class UsageException extends Exception {
        private final String suggestion;

        UsageException(String message, String suggestion) {
            super(message);
            this.suggestion = suggestion;
        }

        /** The option the user probably meant ({@code --threads} for {@code --treads}), if one is close. */
        Optional<String> suggestion() {
            return Optional.ofNullable(suggestion);
        }
    }

    /** One option: its names (long one first), its value's label (null for a switch), and its line of help. */
    private record Option(List<String> names, String label, String help, Flag flag) {
        String name() {
            return names.getFirst();
        }

        /** A BOOL flag: on when given alone, or given true or false. */
        boolean optionalBoolean() {
            return "BOOL".equals(label);
        }
    }

    private static final String CONFIG = "--config";
    private static final String RELOAD = "--reload";
    private static final String RELOAD_EXTRA_FILE = "--reload-extra-file";
    private static final String PRINT_CONFIG = "--print-config";
    private static final String CHECK_CONFIG = "--check-config";
    private static final String VERSION = "--version";
    private static final String HELP = "--help";
    private static final String APP_HELP = "A .war file or exploded WAR folder, optionally APP=/context (default: the file "
            + "name without .war; ROOT is /). Replaces warhorse.apps.";
    private static final int WIDTH = 80;
    private static final int HELP_COLUMN = 30;

    private static final List<Option> OPTIONS = options();
    private static final Map<String, Option> BY_NAME = byName();

    private Options() {}

    private static List<Option> options() {
        List<Option> options = new ArrayList<>();
        options.add(new Option(List.of(CONFIG, "-c"), "FILE", "Read settings from this HOCON file (see conf/warhorse.conf).", null));
        for (Flag flag : Flag.ALL) {
            options.add(new Option(flag.names(), flag.label(), flag.help(), flag));
        }
        options.add(new Option(List.of(RELOAD), null, "Development: when an app, the -c file or a --reload-extra-file "
                + "changes, reload as on HUP (sets warhorse.reload.enabled).", null));
        options.add(new Option(List.of(RELOAD_EXTRA_FILE), "FILE",
                "One more file or folder whose change reloads; repeatable (warhorse.reload.extra-files).", null));
        options.add(new Option(List.of(PRINT_CONFIG), null, "Print every effective setting and where it came from, then exit.", null));
        options.add(new Option(List.of(CHECK_CONFIG), null,
                "Check the settings and deploy the apps without serving; exit 0 if all is well, else 1.", null));
        options.add(new Option(List.of(VERSION, "-v"), null, "Print the version and exit.", null));
        options.add(new Option(List.of(HELP, "-h"), null, "Show this help and exit.", null));
        return List.copyOf(options);
    }

    private static Map<String, Option> byName() {
        Map<String, Option> names = new HashMap<>();
        for (Option option : OPTIONS) {
            option.names().forEach(name -> names.put(name, option));
        }
        return Map.copyOf(names);
    }

    /** Reads {@code args}; relative paths (the {@code -c} file) are resolved against {@code cwd}. */
    static Parsed parse(String[] args, Path cwd) throws UsageException {
        Map<Option, String> values = new LinkedHashMap<>();
        List<String> extraFiles = new ArrayList<>();
        List<String> apps = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                apps.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            Token token = Token.of(arg);
            String name = token.name();
            String value = token.value();
            Option option = BY_NAME.get(name);
            if (option == null || (option.label() == null && value != null && !arg.startsWith("--"))) {
                throw new UsageException("Unknown option: '" + arg + "'", nearest(name).orElse(null));
            }
            if (option.label() == null) {
                values.put(option, switchValue(option, value));
                continue;
            }
            if (value == null && option.optionalBoolean()) {
                // gunicorn's switches: --reuse-port alone is true; a true or false after it is its value
                String word = i + 1 < args.length ? booleanWord(args[i + 1]) : null;
                if (word != null) {
                    i++;
                }
                value = word == null ? "true" : word;
            }
            if (value == null) {
                if (i + 1 == args.length || isOption(args[i + 1])) {
                    throw new UsageException("Missing required parameter for option '" + option.name() + "' ("
                            + option.label() + ")", null);
                }
                value = args[++i];
            }
            if (option.name().equals(RELOAD_EXTRA_FILE)) {
                extraFiles.add(value);
            } else {
                values.put(option, value);
            }
        }
        return parsed(values, extraFiles, apps, cwd);
    }

    private static Parsed parsed(Map<Option, String> values, List<String> extraFiles, List<String> apps, Path cwd) {
        List<ConfigOverride> overrides = new ArrayList<>();
        for (Flag flag : Flag.ALL) {
            String value = values.get(BY_NAME.get(flag.name()));
            if (value != null) {
                if (flag.label().equals("DURATION") && value.matches("\\d+(\\.\\d+)?")) {
                    value += "s"; // gunicorn's -t 30: on the command line a bare number is seconds
                }
                overrides.add(new ConfigOverride(flag.path(), value, "command line " + flag.name()));
            }
        }
        if (on(values, RELOAD)) {
            overrides.add(new ConfigOverride("warhorse.reload.enabled", "true", "command line " + RELOAD));
        }
        if (!extraFiles.isEmpty()) {
            overrides.add(new ConfigOverride("warhorse.reload.extra-files", List.copyOf(extraFiles), "command line " + RELOAD_EXTRA_FILE));
        }
        if (!apps.isEmpty()) {
            overrides.add(new ConfigOverride("warhorse.apps", List.copyOf(apps), "command line APP"));
        }
        String config = values.get(BY_NAME.get(CONFIG));
        return new Parsed(on(values, HELP), on(values, VERSION), on(values, PRINT_CONFIG), on(values, CHECK_CONFIG),
                config == null ? null : cwd.resolve(config), overrides);
    }

    private static boolean on(Map<Option, String> values, String name) {
        return "true".equals(values.get(BY_NAME.get(name)));
    }

    /** A switch is on when given; {@code --switch=false} turns it off again. */
    private static String switchValue(Option option, String value) throws UsageException {
        if (value == null) {
            return "true";
        }
        String word = booleanWord(value);
        if (word == null) {
            throw new UsageException("Invalid value for option '" + option.name() + "': '" + value
                    + "' is not true or false", null);
        }
        return word;
    }

    /** {@code true} or {@code false} for those words in any case (as the settings spell them), else null. */
    private static String booleanWord(String arg) {
        String lower = arg.toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("false") ? lower : null;
    }

    /** Whether {@code arg} names an option: then it is not the value of the option before it. */
    private static boolean isOption(String arg) {
        return arg.equals("--") || BY_NAME.containsKey(Token.of(arg).name());
    }

    /** An argument that starts with a dash, as an option's name and the value given with it (null if none). */
    private record Token(String name, String value) {
        static Token of(String arg) {
            if (arg.startsWith("--")) {
                int equals = arg.indexOf('=');
                return equals > 0 ? new Token(arg.substring(0, equals), arg.substring(equals + 1)) : new Token(arg, null);
            }
            if (arg.length() > 2) { // -w4, -w=4
                return new Token(arg.substring(0, 2), arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2));
            }
            return new Token(arg, null);
        }
    }

    /** The option name closest to {@code typed}, if one is within two edits. */
    private static Optional<String> nearest(String typed) {
        return BY_NAME.keySet().stream()
                .filter(name -> Reference.distance(typed, name) <= 2)
                .min(Comparator.comparingInt((String name) -> Reference.distance(typed, name)).thenComparing(name -> name));
    }

    /** {@code --help}: the synopsis, every option with its default, and the worker kinds found. */
    static String usage(WorkerKinds kinds) {
        StringBuilder text = new StringBuilder()
                .append("Usage: warhorse [OPTIONS] APP...\n")
                .append("       warhorse ctl [--socket PATH | -c FILE | --bind HOST:PORT [--user USER]]\n")
                .append("                    COMMAND\n")
                .append("       warhorse passwd USER [ROLE ...]\n\n")
                .append("Serve Jakarta Servlet web apps (WAR files or exploded WAR folders) on Undertow.\n")
                .append("Settings come from reference.conf < -c FILE < WARHORSE_* environment < these\n")
                .append("flags.\n\n");
        entry(text, "APP...", APP_HELP);
        List<Option> sorted = new ArrayList<>(OPTIONS);
        sorted.sort(Comparator.comparing(option -> option.name().substring(2)));
        for (Option option : sorted) {
            List<String> shorts = option.names().stream().filter(name -> !name.startsWith("--")).toList();
            List<String> longs = option.names().stream().filter(name -> name.startsWith("--")).toList();
            String names = (shorts.isEmpty() ? "    " : String.join(", ", shorts) + ", ") + longs.getFirst()
                    + (option.label() == null ? "" : option.optionalBoolean() ? "[=BOOL]" : "=" + option.label())
                    + longs.stream().skip(1).map(alias -> ", " + alias).reduce("", String::concat);
            String help = option.help();
            if (option.flag() != null) {
                String fallback = String.valueOf(Reference.defaultValue(option.flag().path()).unwrapped());
                help += fallback.isEmpty() ? "" : " [default: " + fallback + "]";
            }
            entry(text, names, help);
        }
        text.append("\nWorker kinds (--worker NAME):\n").append(kinds.describe())
                .append("\nEvery setting can also be set in the -c file, or in the environment as\n")
                .append("WARHORSE_<SETTING> (WARHORSE_WORKER_CONNECTIONS=500). `warhorse --print-config`\n")
                .append("shows them all, with where each value came from.\n\n")
                .append("A running master answers signals (TERM graceful stop, INT quick stop, HUP\n")
                .append("reload, TTIN/TTOU one worker more/less) and `warhorse ctl status|reload|scale N|\n")
                .append("ttin|ttou|stop|quick-stop|dump`.\n");
        return text.toString();
    }

    /** {@code names} in the left column, {@code help} wrapped into the right one. */
    private static void entry(StringBuilder text, String names, String help) {
        String left = "  " + names;
        StringBuilder line = new StringBuilder(left);
        if (left.length() >= HELP_COLUMN - 1) {
            text.append(line).append('\n');
            line.setLength(0);
        }
        for (String word : help.split(" ")) {
            if (line.length() < HELP_COLUMN) {
                line.append(" ".repeat(HELP_COLUMN - line.length()));
            } else if (line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line.setLength(0);
                line.append(" ".repeat(HELP_COLUMN));
            } else {
                line.append(' ');
            }
            line.append(word);
        }
        text.append(line).append('\n');
    }
}
