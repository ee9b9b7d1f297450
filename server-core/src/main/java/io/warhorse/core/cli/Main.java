package io.warhorse.core.cli;

import io.warhorse.core.Version;
import io.warhorse.core.worker.WorkerKinds;
import io.warhorse.core.config.ConfigLoader;
import io.warhorse.core.config.ConfigPrinter;
import io.warhorse.core.config.InvalidConfigException;
import io.warhorse.core.config.Settings;
import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.master.AppCheckJvm;
import io.warhorse.core.master.MasterMain;
import io.warhorse.core.process.WorkerClassPath;
import io.warhorse.core.worker.AppCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code warhorse} command: {@code warhorse [OPTIONS] APP...}. Reads the flags, loads the settings (every
 * problem reported at once), then prints them, checks the apps, or serves. Runs on the main thread; exit codes
 * are {@link ExitCodes}'s: 0 done, 1 a usage or configuration error, else what the worker returned.
 */
public final class Main {

    /** What happens once the settings are good: the real master, or a fake in tests. */
    interface Launcher {
        /** Serves {@code loaded}; {@code reload} reads the same sources again on HUP. */
        int serve(ConfigLoader.Loaded loaded, MasterMain.ConfigSource reload);

        /** Deploys the apps of {@code loaded} as a worker would, without serving. */
        int check(ConfigLoader.Loaded loaded);

        Launcher WORKER = new Launcher() {
            public int serve(ConfigLoader.Loaded loaded, MasterMain.ConfigSource reload) {
                return MasterMain.run(loaded, reload);
            }

            public int check(ConfigLoader.Loaded loaded) {
                // bin/warhorse gives this JVM the master's class path, without what deploys an app
                return WorkerClassPath.separate() ? AppCheckJvm.run(loaded) : AppCheck.run(loaded.settings());
            }
        };
    }

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;
    private final WorkerKinds kinds;
    private final Launcher launcher;

    Main(Map<String, String> env, PrintStream out, PrintStream err, Path cwd, WorkerKinds kinds, Launcher launcher) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.kinds = kinds;
        this.launcher = launcher;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command as {@code main} does, without exiting: returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        WorkerKinds kinds = WorkerKinds.load(Main.class.getClassLoader());
        return new Main(env, out, err, Path.of("").toAbsolutePath(), kinds, Launcher.WORKER).run(args);
    }

    int run(String[] args) {
        if (args.length > 0 && args[0].equals("passwd")) {
            return Passwd.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    System.console() != null && System.console().isTerminal() ? System.console() : null,
                    System.in, out, err);
        }
        if (args.length > 0 && args[0].equals("ctl")) {
            return Ctl.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, out, err, cwd, kinds);
        }
        Options.Parsed parsed;
        try {
            parsed = Options.parse(args, cwd);
        } catch (Options.UsageException e) {
            return usageError(e);
        }
        if (parsed.help()) {
            out.print(Options.usage(kinds));
            return ExitCodes.OK;
        }
        if (parsed.version()) {
            out.println("warhorse " + Version.current());
            return ExitCodes.OK;
        }
        return run(parsed);
    }

    private int run(Options.Parsed parsed) {
        ConfigLoader.Inputs inputs;
        ConfigLoader.Loaded loaded;
        try {
            inputs = ConfigLoader.readPipeOnce(new ConfigLoader.Inputs(parsed.config(), env, parsed.overrides(), cwd));
            loaded = ConfigLoader.load(inputs, kinds.names());
        } catch (InvalidConfigException e) {
            e.problems().forEach(err::println);
            return ExitCodes.CONFIG;
        }
        if (parsed.printConfig()) {
            ConfigPrinter.print(loaded.config(), out);
            return ExitCodes.OK;
        }
        Settings settings = loaded.settings();
        if (settings.apps().isEmpty()) {
            err.println("warhorse: no app to serve: give one or more WAR files or folders (warhorse shop.war), "
                    + "or list them in warhorse.apps in the -c file");
            err.println("Try 'warhorse --help' for more information.");
            return ExitCodes.USAGE;
        }
        io.warhorse.core.logging.ErrorLog.configure(settings);
        if (parsed.checkConfig()) {
            return launcher.check(loaded) == ExitCodes.OK ? ExitCodes.OK : ExitCodes.CONFIG;
        }
        return launcher.serve(loaded, () -> ConfigLoader.load(inputs, kinds.names()));
    }

    private int usageError(Options.UsageException e) {
        err.println("warhorse: " + e.getMessage());
        e.suggestion().ifPresent(option -> err.println("Did you mean " + option + "?"));
        err.println("Try 'warhorse --help' for more information.");
        return ExitCodes.USAGE;
    }
}
