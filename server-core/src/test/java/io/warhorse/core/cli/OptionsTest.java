package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.ConfigOverride;
import java.nio.file.Path;
import java.util.List;
import io.warhorse.core.worker.WorkerKinds;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command line's spellings, as getopt and argparse read them, and what it refuses. */
class OptionsTest {

    private static List<ConfigOverride> overrides(String... args) throws Options.UsageException {
        return Options.parse(args, Path.of("/srv")).overrides();
    }

    private static ConfigOverride flag(String path, String value, String name) {
        return new ConfigOverride(path, value, "command line " + name);
    }

    @Test
    void everySpellingOfAValueIsRead() throws Options.UsageException {
        List<ConfigOverride> expected = List.of(flag("warhorse.bind", "0.0.0.0:9000", "--bind"), flag("warhorse.workers", "4", "--workers"));
        assertEquals(expected, overrides("--bind", "0.0.0.0:9000", "--workers", "4"));
        assertEquals(expected, overrides("--bind=0.0.0.0:9000", "-w4"));
        assertEquals(expected, overrides("-b", "0.0.0.0:9000", "-w=4"));
        assertEquals(List.of(flag("warhorse.workers", "4", "--workers")), overrides("-w", "2", "--workers=4"), "the last one wins");
        assertEquals(List.of(flag("warhorse.queue", "-1", "--queue")), overrides("--queue", "-1"), "a value may start with a dash");
    }

    @Test
    void aBooleanFlagAloneIsTrueAndTakesATrueOrFalseAfterIt() throws Options.UsageException {
        ConfigOverride on = flag("warhorse.reuse-port", "true", "--reuse-port");
        ConfigOverride apps = new ConfigOverride("warhorse.apps", List.of("app.war"), "command line APP");
        assertEquals(List.of(on, apps), overrides("--reuse-port", "app.war"), "gunicorn's switch");
        assertEquals(List.of(on, apps), overrides("app.war", "--reuse-port"));
        assertEquals(List.of(on, apps), overrides("--reuse-port", "true", "app.war"));
        assertEquals(List.of(flag("warhorse.reuse-port", "false", "--reuse-port"), apps),
                overrides("--reuse-port", "FALSE", "app.war"), "spelled as the settings read it, as a switch's value is");
        assertEquals(List.of(flag("warhorse.workers", "2", "--workers"), flag("warhorse.reuse-port", "false", "--reuse-port")),
                overrides("--reuse-port=false", "-w", "2"));
        assertEquals(List.of(flag("warhorse.workers", "2", "--workers"), on), overrides("--reuse-port", "-w", "2"));
        assertEquals(List.of(flag("warhorse.reuse-port", "true", "--reuse-port"), new ConfigOverride("warhorse.apps",
                List.of("true"), "command line APP")), overrides("--reuse-port", "--", "true"), "an app named true, after --");
    }

    @Test
    void appsComeAfterTheOptionsOrAnywhereAndAfterADoubleDash() throws Options.UsageException {
        assertEquals(List.of(flag("warhorse.workers", "2", "--workers"), new ConfigOverride("warhorse.apps",
                List.of("a.war", "b.war=/", "-odd.war"), "command line APP")), overrides("a.war", "-w", "2", "b.war=/", "--", "-odd.war"));
        Options.Parsed parsed = Options.parse(new String[] {"-c", "conf/w.conf", "--check-config", "--print-config=false"}, Path.of("/srv"));
        assertEquals(Path.of("/srv/conf/w.conf"), parsed.config());
        assertTrue(parsed.checkConfig());
        assertFalse(parsed.printConfig());
        assertFalse(parsed.help());
    }

    @Test
    void whatCannotBeReadIsAUsageErrorThatSaysWhy() {
        Options.UsageException unknown = assertThrows(Options.UsageException.class, () -> overrides("--wokers", "2"));
        assertEquals("Unknown option: '--wokers'", unknown.getMessage());
        assertEquals(Optional.of("--workers"), unknown.suggestion());
        assertEquals("Unknown option: '--frobnicate=3'", assertThrows(Options.UsageException.class, () -> overrides("--frobnicate=3")).getMessage());
        assertEquals(Optional.empty(), assertThrows(Options.UsageException.class, () -> overrides("--frobnicate=3")).suggestion());
        assertEquals("Missing required parameter for option '--threads' (N)",
                assertThrows(Options.UsageException.class, () -> overrides("--threads", "--queue", "5")).getMessage(),
                "an option's name is not taken for the value of the one before");
        assertEquals("Missing required parameter for option '--threads' (N)",
                assertThrows(Options.UsageException.class, () -> overrides("--threads", "-w4")).getMessage(),
                "nor a short option with its value attached");
        assertEquals("Missing required parameter for option '--bind' (HOST:PORT)",
                assertThrows(Options.UsageException.class, () -> overrides("app.war", "-b")).getMessage());
        assertEquals("Invalid value for option '--reload': 'maybe' is not true or false",
                assertThrows(Options.UsageException.class, () -> overrides("--reload=maybe")).getMessage());
        assertEquals("Unknown option: '-hv'", assertThrows(Options.UsageException.class, () -> overrides("-hv")).getMessage());
    }

    @Test
    void helpFitsATerminal() {
        String usage = Options.usage(WorkerKinds.of(List.of()));
        for (String line : usage.split("\n")) {
            assertTrue(line.length() <= 80, "longer than 80 columns: " + line);
        }
        assertTrue(usage.contains("--reuse-port[=BOOL]"), usage);
    }
}
