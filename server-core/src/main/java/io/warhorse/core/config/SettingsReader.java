package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the merged configuration into {@link Settings}, one typed read and range check per setting.
 * A value that cannot be read adds a {@link ConfigProblem} and a placeholder, so that every setting is
 * looked at before the caller gives up.
 */
final class SettingsReader {

    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final Config config;
    private final Set<String> invalid;
    private final Set<String> workerKinds;
    private final Path cwd;
    private final List<ConfigProblem> problems;
    private final Map<String, Object> resolved = new java.util.LinkedHashMap<>();

    SettingsReader(Config config, Set<String> invalid, Set<String> workerKinds, Path cwd, List<ConfigProblem> problems) {
        this.config = config;
        this.invalid = invalid;
        this.workerKinds = workerKinds;
        this.cwd = cwd;
        this.problems = problems;
    }

    Settings read() {
        return new Settings(worker(), new AppsReader(this).apps("warhorse.apps"), bind(),
                integer("warhorse.backlog", 1), integer("warhorse.threads", 1), integer("warhorse.queue", 0),
                integer("warhorse.worker-connections", 1), integer("warhorse.io-threads", 0),
                new Settings.Async(integer("warhorse.async.threads", 0), duration("warhorse.async.watchdog-threshold", true)),
                new OffloadReader(this).read(),
                http(), new RouteLimitsReader(this).routes(), shedding(), new DeployReader(this).read(tempDir()), duration("warhorse.graceful-timeout", false),
                duration("warhorse.request-timeout", false), workerProcess(), master(), health(), logLevel(),
                new ObservabilityReader(this).read(), new EdgeReader(this).read(), reload(),
                new SessionsReader(this).read());
    }

    private Settings.Reload reload() {
        List<String> extra = get("warhorse.reload.extra-files", "a list of file paths", config::getStringList, List.of());
        Path base = baseOf(origin("warhorse.reload.extra-files"));
        List<Path> files = extra.stream().map(file -> base.resolve(file).toAbsolutePath().normalize()).toList();
        resolved.put("warhorse.reload.extra-files", files.stream().map(Path::toString).toList());
        return new Settings.Reload(get("warhorse.reload.enabled", "true or false", config::getBoolean, false), files,
                duration("warhorse.reload.settle", false), duration("warhorse.reload.poll-interval", true));
    }

    private Settings.WorkerProcess workerProcess() {
        List<String> options = get("warhorse.worker.jvm-options", "a list of JVM options", config::getStringList, List.of());
        List<String> pairs = get("warhorse.worker.env", "a list of \"NAME=value\" strings", config::getStringList, List.of());
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                problem("warhorse.worker.env", "expected \"NAME=value\", got \"" + pair + "\"");
            } else {
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new Settings.WorkerProcess(options, env,
                get("warhorse.worker.class-data-archive", "\"auto\", a file path or \"\"", config::getString, ""),
                get("warhorse.worker.default-jvm-options", "a list of JVM options", config::getStringList, List.of()),
                heapPercent());
    }

    private int heapPercent() {
        int percent = integer("warhorse.worker.heap-percent", 0);
        if (percent > 100) {
            problem("warhorse.worker.heap-percent", "must be 0 to 100, got " + percent);
        }
        return percent;
    }

    private Settings.Master master() {
        String pid = get("warhorse.pid", "a file path", config::getString, "");
        return new Settings.Master(integer("warhorse.workers", 1), duration("warhorse.timeout", true),
                integer("warhorse.max-requests", 0), integer("warhorse.max-requests-jitter", 0),
                duration("warhorse.max-worker-uptime", false), bytes("warhorse.max-worker-memory", 0, Long.MAX_VALUE),
                pid.isBlank() ? null : resolve("warhorse.pid", pid),
                get("warhorse.control-socket", "a file path", config::getString, ""),
                duration("warhorse.shutdown.drain-delay", false),
                get("warhorse.reuse-port", "true or false", config::getBoolean, false),
                get("warhorse.cpu-affinity", "true or false", config::getBoolean, false), privileges());
    }

    private Settings.Privileges privileges() {
        String user = get("warhorse.user", "a user name or id", config::getString, "").strip();
        String group = get("warhorse.group", "a group name or id", config::getString, "").strip();
        String umask = get("warhorse.umask", "an octal mask such as \"027\"", config::getString, "").strip();
        for (String[] name : new String[][] {{"warhorse.user", user}, {"warhorse.group", group}}) {
            if (!name[1].matches("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}|")) {
                problem(name[0], "expected a user or group name or a numeric id, got \"" + name[1] + "\"");
            }
        }
        if (user.isEmpty() && !group.isEmpty()) {
            problem("warhorse.group", "a group needs a user: set warhorse.user (--user) too");
        }
        if (!umask.matches("0?[0-7]{1,3}|")) {
            problem("warhorse.umask", "expected an octal mask such as \"027\", got \"" + umask + "\"");
            umask = "";
        }
        return new Settings.Privileges(user, group, umask.isEmpty() ? -1 : Integer.parseInt(umask, 8));
    }

    private Settings.Health health() {
        return new Settings.Health(get("warhorse.health.enabled", "true or false", config::getBoolean, true),
                endpointPath("warhorse.health.liveness-path"), endpointPath("warhorse.health.readiness-path"));
    }

    private String endpointPath(String path) {
        String value = get(path, "a URL path", config::getString, "/");
        if (!value.startsWith("/")) {
            problem(path, "must start with '/', got " + render(config, path));
        }
        return value;
    }

    private Settings.Shedding shedding() {
        String share = "warhorse.limits.route-share";
        Number fraction = get(share, "a fraction such as 0.5", config::getNumber, 1);
        if (!(fraction.doubleValue() > 0 && fraction.doubleValue() <= 1)) {
            problem(share, "must be more than 0 and at most 1 (1 turns it off), got " + render(config, share));
        }
        Duration timeout = duration("warhorse.limits.queue-timeout", false);
        String target = "warhorse.limits.standing-queue.target";
        Duration standing = duration(target, false);
        if (timeout.isPositive() && standing.compareTo(timeout) >= 0) {
            problem(target, "must be less than limits.queue-timeout (" + render(config, "warhorse.limits.queue-timeout")
                    + "), got " + render(config, target));
        }
        return new Settings.Shedding(fraction.doubleValue(), timeout, standing,
                duration("warhorse.limits.standing-queue.interval", true));
    }

    private Settings.Http http() {
        return new Settings.Http(bytes("warhorse.http.max-header-size", 1, Integer.MAX_VALUE),
                integer("warhorse.http.max-headers", 1), integer("warhorse.http.max-parameters", 1),
                bytes("warhorse.http.max-entity-size", 0, Long.MAX_VALUE),
                duration("warhorse.http.request-parse-timeout", true), duration("warhorse.http.idle-timeout", true));
    }

    private String worker() {
        String name = get("warhorse.worker.kind", "a worker kind's name", config::getString, "");
        if (!name.isEmpty() && !workerKinds.contains(name)) {
            problem("warhorse.worker.kind", "unknown worker kind '" + name + "'; found: "
                    + (workerKinds.isEmpty() ? "none (no worker kind on the class path)" : String.join(", ", new java.util.TreeSet<>(workerKinds))));
        }
        return name;
    }

    private HostPort bind() {
        String text = get("warhorse.bind", "HOST:PORT", config::getString, null);
        try {
            return text == null ? null : HostPort.parse(text.strip());
        } catch (IllegalArgumentException e) {
            problem("warhorse.bind", e.getMessage());
            return null;
        }
    }

    private Path tempDir() {
        String text = get("warhorse.deploy.temp-dir", "a folder", config::getString, "");
        Path dir = text.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : resolve("warhorse.deploy.temp-dir", text);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            problem("warhorse.deploy.temp-dir", dir + " is not a folder");
        }
        return dir.toAbsolutePath().normalize();
    }

    private String logLevel() {
        String level = get("warhorse.log-level", "a log level", config::getString, "INFO").toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            problem("warhorse.log-level", "expected one of TRACE, DEBUG, INFO, WARN, ERROR, got " + render(config, "warhorse.log-level"));
        }
        return level;
    }

    int integer(String path, int min) {
        Number number = get(path, "a whole number", config::getNumber, null);
        if (number == null) {
            return min;
        }
        double value = number.doubleValue();
        if (value != Math.rint(value) || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            problem(path, "expected a whole number, got " + render(config, path));
        } else if (value < min) {
            problem(path, "must be at least " + min + ", got " + number);
        }
        return number.intValue();
    }

    long bytes(String path, long min, long max) {
        Long bytes = get(path, "a size such as 512, 64KiB or 100MiB", config::getBytes, null);
        if (bytes != null && (bytes < min || bytes > max)) {
            problem(path, "must be between " + min + " and " + max + " bytes, got " + render(config, path));
        }
        return bytes == null ? min : bytes;
    }

    /** A duration; a bare number is refused (Typesafe would read it as milliseconds, gunicorn users as seconds). */
    Duration duration(String path, boolean positive) {
        String expected = "a duration with a unit, such as 500ms, 30s or 2m";
        Duration duration = get(path, expected, config::getDuration, null);
        if (duration == null) {
            return Duration.ZERO;
        }
        if (!duration.isZero() && isBareNumber(path)) {
            problem(path, "expected " + expected + ", got " + render(config, path) + " (which unit?)");
        } else if (positive ? duration.isNegative() || duration.isZero() : duration.isNegative()) {
            problem(path, (positive ? "must be more than 0" : "must not be negative") + ", got " + render(config, path));
        }
        return duration;
    }

    private boolean isBareNumber(String path) {
        return config.getValue(path).valueType() == ConfigValueType.NUMBER
                || config.getString(path).strip().matches("[0-9.]+");
    }

    /** Reads {@code path}, or records "expected ..., got ..." at its origin and returns {@code fallback}. */
    <T> T get(String path, String expected, Function<String, T> reader, T fallback) {
        if (isUnderInvalidBlock(path)) {
            return fallback; // the block itself is reported
        }
        if (!invalid.contains(path)) {
            try {
                return reader.apply(path);
            } catch (ConfigException e) {
                // reported below, with the value as written
            }
        }
        problem(path, "expected " + expected + ", got " + render(config, path));
        return fallback;
    }

    private boolean isUnderInvalidBlock(String path) {
        return invalid.stream().anyMatch(bad -> path.startsWith(bad + "."));
    }

    /**
     * A string setting that must be one of {@code choices} ({@code fallback} when unset or unreadable); another
     * value is reported as "expected a, b or c, got "x"", naming the choices in their order.
     */
    String choice(String path, List<String> choices, String fallback) {
        String said = choices.size() == 1 ? choices.getFirst()
                : String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.getLast();
        String value = get(path, said, config::getString, fallback);
        if (!choices.contains(value)) {
            problem(path, "expected " + said + ", got \"" + value + "\"");
        }
        return value;
    }

    void problem(String path, String message) {
        problems.add(ConfigProblem.at(origin(path), path, message));
    }

    void problem(ConfigOrigin origin, String path, String message) {
        problems.add(ConfigProblem.at(origin, path, message));
    }

    ConfigOrigin origin(String path) {
        try {
            return config.getValue(path).origin();
        } catch (ConfigException e) {
            return e.origin();
        }
    }

    Config config() {
        return config;
    }

    /** Relative paths in a file resolve against the file's folder; from the environment or flags, against cwd. */
    /**
     * {@code text}, a path setting's value, made absolute: relative to the file that set {@code key}, else to the
     * working directory (a flag, the environment). Remembered for the workers' copy of the settings
     * ({@link #resolvedPaths()}), which they read from another folder.
     */
    Path resolve(String key, String text) {
        Path path = baseOf(origin(key)).resolve(text.strip()).toAbsolutePath().normalize();
        resolved.put(key, path.toString());
        return path;
    }

    /** Every path setting read so far, by key: an absolute path, or a list of them. */
    Map<String, Object> resolvedPaths() {
        return Map.copyOf(resolved);
    }

    Path baseOf(ConfigOrigin origin) {
        return origin != null && origin.filename() != null
                ? Path.of(origin.filename()).toAbsolutePath().getParent()
                : cwd;
    }

    static String render(Config config, String path) {
        try {
            return config.hasPathOrNull(path) && !config.getIsNull(path)
                    ? config.getValue(path).render(ConfigRenderOptions.concise())
                    : "null";
        } catch (ConfigException e) {
            return "a value of another shape";
        }
    }
}
