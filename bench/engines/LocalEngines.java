import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Candidates for the local session store, measured the way warhorse uses one: PROCESSES worker processes on one
 * host open the same database file at once, each with THREADS threads, and run the store's two hot statements on
 * SESSIONS sessions of ~1 KiB: a read (the version check of every request: SELECT ... WHERE app AND id) and a
 * write (the upsert of a request that changed its session). Prints reads/s and writes/s summed over the processes.
 *
 *   java -cp sqlite-jdbc.jar:h2.jar LocalEngines.java ENGINE DIR SECONDS   (ENGINE: sqlite-wal, h2-auto-server)
 *
 * H2's embedded mode locks its file to one process; AUTO_SERVER=TRUE is how several processes share it (the first
 * opens a TCP server the others connect to), so that is the mode measured.
 */
public class LocalEngines {
    static final int PROCESSES = 2, THREADS = 4, SESSIONS = 1000;
    static final String SOURCE = "bench/engines/LocalEngines.java"; // run from the repository's root

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(args[1], Path.of(args[2]), args[3], Integer.parseInt(args[4]));
            return;
        }
        String engine = args[0];
        Path dir = Files.createDirectories(Path.of(args[1]));
        int seconds = Integer.parseInt(args[2]);
        try (Connection setup = open(engine, dir)) {
            try (Statement s = setup.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS sessions (app VARCHAR(200) NOT NULL, id VARCHAR(200) NOT NULL,"
                        + " version BIGINT NOT NULL, data VARBINARY(65536) NOT NULL, PRIMARY KEY (app, id))");
            }
            try (PreparedStatement put = setup.prepareStatement(upsert(engine))) {
                for (int i = 0; i < SESSIONS; i++) {
                    bindWrite(put, i, new Random(i));
                    put.executeUpdate();
                }
            }
            for (String phase : new String[] {"read", "write"}) {
                List<Process> children = new ArrayList<>();
                for (int p = 0; p < PROCESSES; p++) {
                    children.add(new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                            "--enable-native-access=ALL-UNNAMED", "-cp",
                            System.getProperty("java.class.path"), SOURCE, "child", engine, dir.toString(), phase,
                            Integer.toString(seconds))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
                }
                long total = 0;
                for (Process child : children) {
                    total += Long.parseLong(new String(child.getInputStream().readAllBytes()).strip());
                    child.waitFor(seconds + 60L, TimeUnit.SECONDS);
                }
                System.out.printf("%s %s: %d/s (%d processes x %d threads)%n", engine, phase, total / seconds,
                        PROCESSES, THREADS);
            }
        }
    }

    static void child(String engine, Path dir, String phase, int seconds) throws Exception {
        LongAdder done = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Random random = new Random(seed * 31L + ProcessHandle.current().pid());
                try (Connection c = open(engine, dir);
                     PreparedStatement read = c.prepareStatement(
                             "SELECT version, CASE WHEN version = ? THEN NULL ELSE data END FROM sessions WHERE app = ? AND id = ?");
                     PreparedStatement write = c.prepareStatement(upsert(engine))) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds); // timed once connected
                    while (System.nanoTime() < end) {
                        if (phase.equals("read")) {
                            read.setLong(1, 1);
                            read.setString(2, "/app");
                            read.setString(3, "s" + random.nextInt(SESSIONS));
                            try (ResultSet row = read.executeQuery()) {
                                row.next();
                            }
                        } else {
                            bindWrite(write, random.nextInt(SESSIONS), random);
                            write.executeUpdate();
                        }
                        done.increment();
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println(done.sum());
    }

    static Connection open(String engine, Path dir) throws Exception {
        if (engine.equals("sqlite-wal")) {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sessions.db"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
            }
            return c;
        }
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("sessions") + ";AUTO_SERVER=TRUE");
    }

    static String upsert(String engine) {
        return engine.equals("sqlite-wal")
                ? "INSERT INTO sessions VALUES (?, ?, ?, ?) ON CONFLICT (app, id) DO UPDATE SET version = excluded.version, data = excluded.data"
                : "MERGE INTO sessions KEY (app, id) VALUES (?, ?, ?, ?)";
    }

    static void bindWrite(PreparedStatement put, int session, Random random) throws Exception {
        byte[] data = new byte[1024];
        random.nextBytes(data);
        put.setString(1, "/app");
        put.setString(2, "s" + session);
        put.setLong(3, random.nextLong());
        put.setBytes(4, data);
    }
}
