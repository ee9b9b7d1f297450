package io.warhorse.core.config;

import static io.warhorse.core.config.ConfigFiles.flag;
import static io.warhorse.core.config.ConfigFiles.problems;
import static io.warhorse.core.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of configuration problem, each reported with the file, line and key a user needs to fix it. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    @Test
    void unknownKeyIsReportedWithFileLineAndASuggestion() {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  threads = 4
                  worker-conections = 10
                }
                """);
        assertEquals(List.of(file + ":3: warhorse.worker-conections: unknown setting; did you mean warhorse.worker-connections?"),
                problems(file));
    }

    @Test
    void keyOutsideTheRootIsUnknownAndPointsAtTheRoot() {
        Path file = write(dir, "warhorse.conf", "threads = 4\n");
        assertEquals(List.of(file + ":1: threads: unknown setting (every setting lives under 'warhorse'); did you mean warhorse.threads?"),
                problems(file));
    }

    @Test
    void unknownKeyInsideABlockIsFound() {
        Path file = write(dir, "warhorse.conf", """
                warhorse.http {
                  idle-timeout = 5s
                  max-body = 1MiB
                }
                """);
        List<String> problems = problems(file);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith(file + ":3: warhorse.http.max-body: unknown setting"), problems.getFirst());
    }

    @Test
    void wrongTypeShowsTheValueAsWritten() {
        Path file = write(dir, "warhorse.conf", """
                # a comment
                warhorse.threads = lots
                """);
        assertEquals(List.of(file + ":2: warhorse.threads: expected a whole number, got \"lots\""), problems(file));
    }

    @Test
    void wrongShapesAreReportedOnce() {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  apps = "shop.war"
                  http = 5
                  backlog = [1, 2]
                  queue = 2.5
                }
                """);
        List<String> problems = problems(file);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.contains(file + ":2: warhorse.apps: expected a list of apps such as [\"shop.war\", \"site=/\"], got \"shop.war\""), problems.toString());
        assertTrue(problems.contains(file + ":3: warhorse.http: expected a block { ... } of settings (warhorse.http.max-header-size, "
                + "warhorse.http.max-headers, warhorse.http.max-parameters), got 5"), problems.toString());
        assertTrue(problems.contains(file + ":4: warhorse.backlog: expected a whole number, got [1,2]"), problems.toString());
        assertTrue(problems.contains(file + ":5: warhorse.queue: expected a whole number, got 2.5"), problems.toString());
    }

    @Test
    void valuesOutOfRangeAreReported() {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  threads = 0
                  queue = -1
                  bind = "127.0.0.1:70000"
                  log-level = loud
                  async.watchdog-threshold = 0s
                  graceful-timeout = -1s
                  http.max-entity-size = -5
                  worker.kind = fast
                }
                """);
        assertEquals(List.of(
                file + ":2: warhorse.threads: must be at least 1, got 0",
                file + ":3: warhorse.queue: must be at least 0, got -1",
                file + ":4: warhorse.bind: port 70000 is out of range 0-65535",
                file + ":5: warhorse.log-level: expected one of TRACE, DEBUG, INFO, WARN, ERROR, got \"loud\"",
                file + ":6: warhorse.async.watchdog-threshold: must be more than 0, got \"0s\"",
                file + ":7: warhorse.graceful-timeout: must not be negative, got \"-1s\"",
                file + ":8: warhorse.http.max-entity-size: expected a size such as 512, 64KiB or 100MiB, got -5",
                file + ":9: warhorse.worker.kind: unknown worker kind 'fast'; found: async, sync, virtual"),
                problems(file));
    }

    @Test
    void stackTracesIsOneOfItsThreeModes() {
        Path file = write(dir, "warhorse.conf", "warhorse.deploy.stack-traces = always\n");
        assertEquals(List.of(file + ":1: warhorse.deploy.stack-traces: expected none, local or all, got \"always\""),
                problems(file));
    }

    @Test
    void sessionSaveIsOnChangeOrAlways() {
        Path file = write(dir, "warhorse.conf", "warhorse.sessions.save = sometimes\n");
        assertEquals(List.of(file + ":1: warhorse.sessions.save: expected on-change or always, got \"sometimes\""),
                problems(file));
    }

    @Test
    void aDurationWithoutAUnitIsRefused() {
        Path file = write(dir, "warhorse.conf", "warhorse.graceful-timeout = 30\n");
        assertEquals(List.of(file + ":1: warhorse.graceful-timeout: expected a duration with a unit, such as 500ms, 30s or 2m, got 30 (which unit?)"),
                problems(file));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  threads = lots
                  treads = 4
                  io-threads = -2
                  bind = "nowhere"
                  http.idle-timeout = soon
                }
                """);
        List<String> problems = problems(file);
        assertEquals(5, problems.size(), problems.toString());
        for (int line = 2; line <= 6; line++) {
            String at = file + ":" + line + ": ";
            assertTrue(problems.stream().anyMatch(problem -> problem.startsWith(at)), "nothing reported at " + at + problems);
        }
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        Path file = write(dir, "warhorse.conf", """
                warhorse {
                  threads = 4
                  bind = 127.0.0.1:8000
                }
                """);
        List<String> problems = problems(file);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith(file + ":3: syntax error: "), problems.getFirst());
    }

    @Test
    void missingConfigFileIsOneClearLine() {
        Path missing = dir.resolve("nope.conf");
        assertEquals(List.of("warhorse: config file " + missing + " does not exist"), problems(missing));
    }

    @Test
    void problemsFromTheEnvironmentAndFlagsNameTheirSource() {
        List<String> problems = problems(null, Map.of("WARHORSE_THREADS", "many", "WARHORSE_JAVA_HOME", "/opt/jdk"),
                List.of(flag("warhorse.worker-connections", "0")), dir);
        assertEquals(List.of(
                "env WARHORSE_THREADS: warhorse.threads: expected a whole number, got \"many\"",
                "command line --worker-connections: warhorse.worker-connections: must be at least 1, got 0"), problems);
    }

    @Test
    void anOverrideOfNoSettingIsAnError() {
        assertEquals(List.of("test: warhorse.thread: unknown setting; did you mean warhorse.threads?"),
                problems(null, Map.of(), List.of(new ConfigOverride("warhorse.thread", "4", "test")), dir));
    }

    @Test
    void appsMustExistAndHaveDistinctContexts() {
        write(dir, "shop.war", "");
        write(dir, "other/shop.war", "");
        Path file = write(dir, "warhorse.conf", """
                warhorse.apps = [
                  "shop.war",
                  "other/shop.war",
                  "gone.war",
                  "shop.war=not/ok/"
                ]
                """);
        assertEquals(List.of(
                file + ":3: warhorse.apps: two apps on context path /shop: " + dir.resolve("shop.war") + " and "
                        + dir.resolve("other/shop.war") + "; give one another context with PATH=/context",
                file + ":4: warhorse.apps: 'gone.war': no such file or folder: " + dir.resolve("gone.war"),
                file + ":5: warhorse.apps: 'shop.war=not/ok/': context path '/not/ok/' must start with '/' and not end with one"),
                problems(file));
    }

    @Test
    void tempDirThatIsAFileIsRefused() {
        write(dir, "plain", "");
        Path file = write(dir, "warhorse.conf", "warhorse.deploy.temp-dir = plain\n");
        assertEquals(List.of(file + ":1: warhorse.deploy.temp-dir: " + dir.resolve("plain") + " is not a folder"), problems(file));
    }
}
