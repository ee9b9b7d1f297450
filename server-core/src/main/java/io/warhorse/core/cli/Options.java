package io.warhorse.core.cli;

import io.warhorse.core.worker.WorkerKinds;
import io.warhorse.core.config.ConfigOverride;
import io.warhorse.core.config.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code warhorse} command line, built from {@link Flag#ALL} with picocli's programmatic API so that the table
 * is the only list of setting flags, and what one invocation asked for.
 */
final class Options {

    /**
     * @param config    the {@code -c} file, resolved against the working directory, or null
     * @param overrides the settings given by flags and APP arguments
     */
    record Parsed(boolean help, boolean version, boolean printConfig, boolean checkConfig, Path config,
                  List<ConfigOverride> overrides) {}

    private Options() {}

    static CommandLine commandLine(WorkerKinds kinds) {
        CommandSpec spec = CommandSpec.create().name("warhorse");
        spec.usageMessage()
                .customSynopsis("warhorse [OPTIONS] APP...", "warhorse ctl [--socket PATH | -c FILE | --bind HOST:PORT [--user USER]] COMMAND")
                .description("Serve Jakarta Servlet web apps (WAR files or exploded WAR folders) on Undertow.",
                        "Settings come from reference.conf < -c FILE < WARHORSE_* environment < these flags.")
                .footerHeading("%nWorker kinds (--worker NAME):%n")
                .footer(kinds.describe().replace("%", "%%")
                        + "%nEvery setting can also be set in the -c file, or in the environment as"
                        + "%nWARHORSE_<SETTING> (WARHORSE_WORKER_CONNECTIONS=500). `warhorse --print-config`"
                        + "%nshows them all, with where each value came from."
                        + "%n%nA running master answers signals (TERM graceful stop, INT quick stop, HUP reload,"
                        + "%nTTIN/TTOU one worker more/less) and `warhorse ctl status|reload|scale N|ttin|ttou|stop|"
                        + "%nquick-stop|dump`.%n");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("APP").arity("0..*")
                .type(List.class).auxiliaryTypes(String.class)
                .description("A .war file or exploded WAR folder, optionally APP=/context "
                        + "(default: the file name without .war; ROOT is /). Replaces warhorse.apps.")
                .build());
        spec.addOption(OptionSpec.builder("-c", "--config").paramLabel("FILE").type(String.class)
                .description("Read settings from this HOCON file (see conf/warhorse.conf).").build());
        Flag.ALL.forEach(flag -> spec.addOption(option(flag)));
        spec.addOption(OptionSpec.builder("--print-config").type(boolean.class)
                .description("Print every effective setting and where it came from, then exit.").build());
        spec.addOption(OptionSpec.builder("--check-config").type(boolean.class)
                .description("Check the settings and deploy the apps without serving; exit 0 if all is well, else 1.").build());
        spec.addOption(OptionSpec.builder("-v", "--version").versionHelp(true).type(boolean.class)
                .description("Print the version and exit.").build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
                .description("Show this help and exit.").build());
        CommandLine commandLine = new CommandLine(spec);
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setExpandAtFiles(false);
        return commandLine;
    }

    private static OptionSpec option(Flag flag) {
        Object fallback = Reference.defaultValue(flag.path()).unwrapped();
        return OptionSpec.builder(flag.names().toArray(String[]::new)).paramLabel(flag.label()).type(String.class)
                .description((flag.help() + " [default: " + fallback + "]").replace("%", "%%"))
                .build();
    }

    /** @throws CommandLine.ParameterException on an unknown flag, a missing value, and the like */
    static Parsed parse(CommandLine commandLine, String[] args, Path cwd) {
        ParseResult result = commandLine.parseArgs(args);
        List<ConfigOverride> overrides = new ArrayList<>();
        for (Flag flag : Flag.ALL) {
            if (result.hasMatchedOption(flag.name())) {
                String value = result.matchedOptionValue(flag.name(), "");
                if (flag.label().equals("DURATION") && value.matches("\\d+(\\.\\d+)?")) {
                    value += "s"; // gunicorn's -t 30: on the command line a bare number is seconds
                }
                overrides.add(new ConfigOverride(flag.path(), value, "command line " + flag.name()));
            }
        }
        List<String> apps = result.hasMatchedPositional(0) ? result.matchedPositional(0).getValue() : List.of();
        if (!apps.isEmpty()) {
            overrides.add(new ConfigOverride("warhorse.apps", apps, "command line APP"));
        }
        String config = result.matchedOptionValue("--config", null);
        return new Parsed(result.isUsageHelpRequested(), result.isVersionHelpRequested(),
                result.hasMatchedOption("--print-config"), result.hasMatchedOption("--check-config"),
                config == null ? null : cwd.resolve(config), overrides);
    }
}
