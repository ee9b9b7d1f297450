package io.warhorse.e2e;

import io.warhorse.core.config.Reference;
import io.warhorse.it.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real {@code warhorse} of the built distribution ({@code bin/warhorse}, system property {@code warhorse.home}),
 * started as an operator would: its stdout and stderr (the master's and every worker's log) go to
 * {@code target/e2e-logs/NAME-HHMMSS.log}, which is followed and kept in memory with the time each line was read.
 * {@link #close()} stops the master and kills every process this run started, by pid, whatever state the test left
 * them in. The one harness of the end-to-end tests (e2e: the master's life; obs: its metrics and logs).
 */
public final class Warhorse implements AutoCloseable {

    static final Pattern LISTENING = Pattern.compile(
            "warhorse master \\(pid (\\d+)\\) listening at http://127\\.0\\.0\\.1:(\\d+) .*; control socket (\\S+)$");
    private static final Pattern ADMIN = Pattern.compile("admin listener at http://127\\.0\\.0\\.1:(\\d+)/");
    static final Pattern BOOTING = Pattern.compile("booting worker (\\d+) \\(pid:(\\d+), generation (\\d+)\\)");
    private static final Pattern ROW = Pattern.compile(
            "^(\\d+)\\s+(\\d+)\\s+(booting|ready|draining)\\s+(\\d+)\\s+(\\S+)\\s+\\S+\\s+(\\d+)\\s+(\\d+)\\s+.*$");

    /** One line of output and when the test read it ({@link System#nanoTime()}, at most ~10 ms after it was written). */
    public record Line(int index, long nanos, String text) {}

    /** One row of {@code warhorse ctl status}. */
    record Worker(int id, long pid, String state, int generation, String kind, long requests, long inFlight) {}

    private final String name;
    private final Process process;
    private final Path file;
    private volatile boolean closing;
    private final List<Line> lines = new ArrayList<>();
    private final Set<Long> workerPids = new LinkedHashSet<>();
    private final Thread reader;
    private int port;
    private int adminPort;
    private Path controlSocket;

    private Warhorse(String name, Process process, Path file) {
        this.name = name;
        this.process = process;
        this.file = file;
        this.reader = Thread.ofPlatform().daemon().name("warhorse-output-" + name).start(this::readOutput);
    }

    /** The variable of {@code warhorse.worker.default-jvm-options}. */
    public static final String WORKER_DEFAULTS_VARIABLE = "WARHORSE_WORKER_DEFAULT_JVM_OPTIONS";

    /**
     * The suite's workers run warhorse's default JVM options (from reference.conf) plus {@code -XX:TieredStopAtLevel=1}:
     * the tests check behaviour, not speed, and C2 compiling code a short-lived worker barely runs was half of the
     * suite's CPU on 2 cores. A test of the JVM options a worker really gets passes {@link #SHIPPED_WORKER_DEFAULTS}.
     */
    static final String SUITE_WORKER_DEFAULTS = defaultsWith("-XX:TieredStopAtLevel=1");

    /** Environment for {@link #run(String, Path, List, Map)} that leaves a worker's JVM options as shipped. */
    public static final Map<String, String> SHIPPED_WORKER_DEFAULTS = Map.of(WORKER_DEFAULTS_VARIABLE, defaultsWith());

    /** reference.conf's worker.default-jvm-options and {@code extra}, as a HOCON list. */
    private static String defaultsWith(String... extra) {
        return Stream.concat(Reference.config().getStringList("warhorse.worker.default-jvm-options").stream(), Stream.of(extra))
                .map(option -> "\"" + option + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    public static Path home() {
        return Path.of(System.getProperty("warhorse.home", "../distribution/target/warhorse")).toAbsolutePath().normalize();
    }

    /** The arguments of process {@code pid}, its program first, as {@code /proc/PID/cmdline} holds them. */
    public static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
    }

    /** A sample WAR of the distribution: {@code apps/NAME.war}. */
    public static Path war(String name) {
        return home().resolve("apps").resolve(name + ".war");
    }

    /** Starts {@code bin/warhorse ARGS} in {@code dir}; returns at once, before it listens. */
    public static Warhorse start(String name, Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/warhorse").toString());
        command.addAll(Arrays.asList(args));
        return run(name, dir, command);
    }

    /**
     * Starts {@code command} in {@code dir}, a command line that execs a warhorse launcher (an unpacked release's
     * {@code bin/warhorse}, or one behind {@code systemd-socket-activate}); returns at once.
     */
    static Warhorse run(String name, Path dir, List<String> command) throws IOException {
        return run(name, dir, command, Map.of());
    }

    /** As {@link #run(String, Path, List)}, with {@code env} on top of the suite's environment. */
    static Warhorse run(String name, Path dir, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("WARHORSE_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().keySet().removeIf(key -> key.startsWith("WARHORSE_") && !key.equals("WARHORSE_JAVA_HOME"));
        io.warhorse.it.TestTmp.into(builder.environment());
        builder.environment().put("WARHORSE_WORKER_CLASS_DATA_ARCHIVE", SuiteAotCache.setting());
        builder.environment().put(WORKER_DEFAULTS_VARIABLE, SUITE_WORKER_DEFAULTS);
        builder.environment().putAll(env);
        // A file, not a pipe: the workers share it and may outlive the master, whose pipe the JDK closes when it exits.
        Path file = Files.createDirectories(Path.of("target", "e2e-logs")).resolve(name + "-" + java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HHmmss")) + ".log").toAbsolutePath();
        Files.deleteIfExists(file);
        Files.createFile(file);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile()));
        return new Warhorse(name, builder.start(), file);
    }

    /** Starts warhorse and waits until the master listens and {@code workers} workers are ready. */
    public static Warhorse serve(String name, Path dir, int workers, String... args) throws Exception {
        return serve(name, dir, workers, Map.of(), args);
    }

    /** As {@link #serve(String, Path, int, String...)}, with {@code env} on top of the suite's environment. */
    public static Warhorse serve(String name, Path dir, int workers, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/warhorse").toString());
        command.addAll(Arrays.asList(args));
        Warhorse warhorse = run(name, dir, command, env);
        try {
            warhorse.awaitListening(Duration.ofSeconds(30));
            warhorse.awaitWorkers(workers, Duration.ofSeconds(60));
            return warhorse;
        } catch (Throwable e) {
            warhorse.close();
            throw e;
        }
    }

    /**
     * Serves {@code args} with {@code workers} workers on free app and admin ports, once they are all ready and the
     * admin listener is up.
     */
    public static Warhorse observed(String name, Path dir, int workers, String... args) throws Exception {
        return observed(name, dir, workers, Map.of(), args);
    }

    /** As {@link #observed(String, Path, int, String...)}, with {@code env} on top of the suite's environment. */
    public static Warhorse observed(String name, Path dir, int workers, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--workers", String.valueOf(workers), "--bind", "127.0.0.1:0",
                "--admin-bind", "127.0.0.1:0"));
        all.addAll(Arrays.asList(args));
        Warhorse warhorse = serve(name, dir, workers, env, all.toArray(String[]::new));
        try {
            Matcher admin = ADMIN.matcher(warhorse.awaitLine(ADMIN.pattern(), 0, Duration.ofSeconds(30)).text());
            admin.find();
            warhorse.adminPort = Integer.parseInt(admin.group(1));
            return warhorse;
        } catch (Throwable e) {
            warhorse.close();
            throw e;
        }
    }

    // ---- output

    /** Follows the output file, every 10 ms, until {@link #close()} has stopped every process. */
    private void readOutput() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                boolean last = closing;
                buffer.clear();
                int read = channel.read(buffer);
                if (read <= 0) {
                    if (last) {
                        return;
                    }
                    LockSupport.parkNanos(10_000_000);
                    continue;
                }
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            add("(the test could not read " + file + ": " + e + ")");
        }
    }

    private void add(String text) {
        long now = System.nanoTime();
        Matcher booting = BOOTING.matcher(text);
        synchronized (lines) {
            if (booting.find()) {
                workerPids.add(Long.parseLong(booting.group(2)));
            }
            lines.add(new Line(lines.size(), now, text));
            lines.notifyAll();
        }
    }

    /** Lines read so far; {@link #awaitLine} with this as {@code from} waits for a line not yet seen. */
    public int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public String output() {
        StringBuilder all = new StringBuilder();
        lines().forEach(line -> all.append(line.text()).append('\n'));
        return all.toString();
    }

    /** The first line from index {@code from} on that matches {@code regex}, waiting up to {@code limit}. */
    public Line awaitLine(String regex, int from, Duration limit) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lines) {
            for (int next = from; ; ) {
                for (; next < lines.size(); next++) {
                    if (pattern.matcher(lines.get(next).text()).find()) {
                        return lines.get(next);
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line matching /" + regex + "/ within " + limit + " in " + name
                            + "'s output:\n" + tail(60));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    public Optional<Line> findLine(String regex, int from) {
        Pattern pattern = Pattern.compile(regex);
        return lines().stream().skip(from).filter(line -> pattern.matcher(line.text()).find()).findFirst();
    }

    /** The lines so far that contain {@code fragment}. */
    public long count(String fragment) {
        return lines().stream().filter(line -> line.text().contains(fragment)).count();
    }

    /** Waits up to {@code limit} for {@code condition}, failing with the output's tail. */
    public void await(Duration limit, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            Deadline.within(limit, condition);
        } catch (AssertionError e) {
            throw new AssertionError(name + ": " + e.getMessage() + "; output:\n" + tail(40), e);
        }
    }

    /** The last {@code count} lines, for failure messages. */
    public String tail(int count) {
        List<Line> all = lines();
        StringBuilder tail = new StringBuilder();
        all.subList(Math.max(0, all.size() - count), all.size()).forEach(line -> tail.append(line.text()).append('\n'));
        return tail.toString();
    }

    // ---- the master

    void awaitListening(Duration limit) throws InterruptedException {
        Matcher matcher = LISTENING.matcher(awaitLine(LISTENING.pattern(), 0, limit).text());
        if (!matcher.find()) {
            throw new AssertionError("unreadable listening line");
        }
        if (Long.parseLong(matcher.group(1)) != process.pid()) {
            throw new AssertionError("bin/warhorse should exec the master (pid " + process.pid() + "), not fork it: "
                    + matcher.group());
        }
        port = Integer.parseInt(matcher.group(2));
        controlSocket = Path.of(matcher.group(3));
    }

    public long masterPid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    Path controlSocket() {
        return controlSocket;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** On the admin listener, after {@link #observed}. */
    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    /** Sends {@code SIG<signal>} to the master. */
    public void signal(String signal) throws Exception {
        kill(signal, process.pid());
    }

    /** The master's exit code, waiting up to {@code limit}. */
    public int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + limit + "; output:\n" + tail(60));
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Every worker pid the master announced ("booting worker N (pid:P ...)"). */
    Set<Long> workerPidsSeen() {
        synchronized (lines) {
            return Set.copyOf(workerPids);
        }
    }

    // ---- control socket

    /** Sends one command over the control socket, the way {@code warhorse ctl} does, and returns the answer. */
    String control(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(controlSocket));
            channel.write(ByteBuffer.wrap(("ctl " + io.warhorse.core.control.Protocol.VERSION + " " + command + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    throw new IOException("answer too long");
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    /** The workers in {@code ctl status}. */
    List<Worker> workers() throws IOException {
        return parseStatus(control("status"));
    }

    static List<Worker> parseStatus(String table) {
        List<Worker> workers = new ArrayList<>();
        for (String row : table.split("\n")) {
            Matcher matcher = ROW.matcher(row.strip());
            if (matcher.matches()) {
                workers.add(new Worker(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        matcher.group(3), Integer.parseInt(matcher.group(4)), matcher.group(5),
                        Long.parseLong(matcher.group(6)), Long.parseLong(matcher.group(7))));
            }
        }
        return workers;
    }

    /** Waits until exactly {@code count} workers exist, every one ready; returns them. */
    List<Worker> awaitWorkers(int count, Duration limit) throws Exception {
        List<List<Worker>> last = new ArrayList<>(List.of(List.of()));
        try {
            Deadline.within(limit, () -> {
                List<Worker> now = workers();
                last.set(0, now);
                return now.size() == count && now.stream().allMatch(worker -> worker.state().equals("ready"));
            });
        } catch (AssertionError e) {
            throw new AssertionError("not " + count + " ready workers within " + limit + ": " + last.getFirst()
                    + "; output:\n" + tail(40), e);
        }
        return last.getFirst();
    }

    /** Runs {@code bin/warhorse ctl --socket SOCKET WORDS}; returns its output, failing unless it exits 0. */
    public String ctlOk(String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of("--socket", controlSocket.toString()));
        args.addAll(Arrays.asList(words));
        Result result = ctl(args.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError("warhorse ctl " + String.join(" ", words) + " failed: " + result.output());
        }
        return result.output();
    }

    /** Runs {@code bin/warhorse ctl ARGS}; returns its exit code and output. */
    static Result ctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/warhorse").toString(), "ctl"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("WARHORSE_JAVA_HOME", System.getProperty("java.home"));
        io.warhorse.it.TestTmp.into(builder.environment()); // the masters' TMPDIR: where ctl finds their run directory
        Process ctl = builder.start();
        ctl.getOutputStream().close();
        byte[] output = ctl.getInputStream().readAllBytes();
        if (!ctl.waitFor(30, TimeUnit.SECONDS)) {
            ctl.destroyForcibly();
            throw new AssertionError("warhorse ctl did not finish");
        }
        return new Result(ctl.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {}

    // ---- signals and processes

    /** {@code kill -SIGNAL pid}, as an operator would. */
    static void kill(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the master with TERM (INT if it dawdles), then kills the master and every worker it announced that is
     * still running, checking each pid still runs a warhorse worker so that a reused pid is never hit.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            for (long pid : workerPidsSeen()) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(handle -> handle.info().commandLine().orElse("").contains("io.warhorse.core.worker.WorkerProcess"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
            for (long pid : workerPidsSeen()) {
                ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
            }
            closing = true;
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
