package io.warhorse.core.cli;

import io.warhorse.core.config.ConfigLoader;
import io.warhorse.core.config.ConfigOverride;
import io.warhorse.core.config.InvalidConfigException;
import io.warhorse.core.control.LineChannel;
import io.warhorse.core.control.Message;
import io.warhorse.core.control.Protocol;
import io.warhorse.core.control.ProtocolException;
import io.warhorse.core.control.RunDirectory;
import io.warhorse.core.process.ExitCodes;
import io.warhorse.core.worker.WorkerKinds;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code warhorse ctl [--socket PATH | -c FILE | --bind HOST:PORT [--user USER]] COMMAND}: sends one command to a running
 * master over its control socket and prints the answer. The socket is found the way the master chose it: from
 * {@code --socket}, else from the settings ({@code control-socket}, or the default for the {@code bind} port).
 * Commands: status, reload, scale N, ttin, ttou, stop, quick-stop, dump, reopen-logs, events.
 */
final class Ctl {

    private Ctl() {}

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Path cwd, WorkerKinds kinds) {
        Path socket = null;
        Path config = null;
        List<ConfigOverride> overrides = new ArrayList<>();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i += 2) {
            if (i + 1 >= args.length) {
                return usage(err, args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--socket" -> socket = cwd.resolve(args[i + 1]);
                case "-c", "--config" -> config = cwd.resolve(args[i + 1]);
                case "-b", "--bind" -> overrides.add(new ConfigOverride("warhorse.bind", args[i + 1], "command line --bind"));
                case "-u", "--user" -> overrides.add(new ConfigOverride("warhorse.user", args[i + 1], "command line --user"));
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
        }
        if (i >= args.length) {
            return usage(err, "no command given");
        }
        if (socket == null) {
            try {
                var settings = ConfigLoader.load(ConfigLoader.readPipeOnce(new ConfigLoader.Inputs(config, env, overrides, cwd)),
                        kinds.names()).settings();
                socket = RunDirectory.socket(settings, settings.bind().port(), env);
            } catch (InvalidConfigException e) {
                e.problems().forEach(err::println);
                return ExitCodes.CONFIG;
            } catch (IOException e) {
                err.println("warhorse ctl: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
        }
        Message command;
        try {
            command = Protocol.parse("ctl " + Protocol.VERSION + " " + String.join(" ", Arrays.copyOfRange(args, i, args.length)));
        } catch (ProtocolException e) {
            return usage(err, e.getMessage());
        }
        return send(socket, command, out, err);
    }

    private static int send(Path socket, Message command, PrintStream out, PrintStream err) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            LineChannel lines = new LineChannel(channel);
            lines.send(command);
            boolean failed = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                failed |= line.startsWith(Protocol.ERROR);
                out.println(line);
            }
            return failed ? ExitCodes.USAGE : ExitCodes.OK;
        } catch (ProtocolException e) {
            err.println("warhorse ctl: the master's answer on " + socket + " is unreadable: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (IOException e) {
            err.println("warhorse ctl: no master answers on " + socket + " (" + e.getMessage()
                    + "); is warhorse running? give its socket with --socket PATH, or its -c FILE / --bind");
            return ExitCodes.CONFIG;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("warhorse ctl: " + problem);
        err.println("usage: warhorse ctl [--socket PATH | -c FILE | --bind HOST:PORT [--user USER]] "
                + "status|reload|scale N|ttin|ttou|stop|quick-stop|dump|reopen-logs|events");
        return ExitCodes.USAGE;
    }
}
