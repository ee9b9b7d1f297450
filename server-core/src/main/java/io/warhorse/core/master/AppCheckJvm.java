package io.warhorse.core.master;

import io.warhorse.core.FileTrees;
import io.warhorse.core.config.ConfigLoader;
import io.warhorse.core.config.ResolvedSettings;
import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.process.WorkerClassPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code warhorse --check-config} where the command's JVM has the master's class path, which cannot deploy an app:
 * the check runs in a JVM like a worker's (the same {@code java}, the workers' class path and JVM options), on the
 * settings this command resolved, written to a private temporary folder as the master writes them for its workers (so a
 * config read from standard input is read once). Its output is this command's. Runs on the main thread, which waits.
 */
public final class AppCheckJvm {

    /** The check's entry point, named as a string: the master imports nothing from the worker package. */
    static final String MAIN_CLASS = "io.warhorse.core.worker.AppCheck";

    private AppCheckJvm() {}

    /** The check's exit code: 0 when every app deployed. */
    public static int run(ConfigLoader.Loaded loaded) {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("warhorse-check-"); // mode 0700: the settings may hold passwords
            Path settings = folder.resolve("settings.conf");
            ResolvedSettings.write(loaded, settings);
            Process check = new ProcessBuilder(command(loaded, settings)).inheritIO()
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return check.waitFor();
        } catch (IOException e) {
            System.err.println("warhorse: cannot start the JVM that deploys the apps for --check-config: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.CONFIG;
        } finally {
            deleteQuietly(folder);
        }
    }

    /** The check's command line, on the resolved settings in {@code settings}. */
    static List<String> command(ConfigLoader.Loaded loaded, Path settings) {
        List<String> command = new ArrayList<>(List.of(JavaWorkerLauncher.java().toString()));
        command.addAll(WorkerJvmOptions.of(loaded.settings()));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                WorkerClassPath.current(), MAIN_CLASS, settings.toString()));
        return command;
    }

    private static void deleteQuietly(Path folder) {
        try {
            if (folder != null) {
                FileTrees.delete(folder);
            }
        } catch (IOException e) {
            // left in the temporary folder, which the system cleans up
        }
    }
}
