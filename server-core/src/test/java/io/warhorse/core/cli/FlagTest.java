package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.ConfigOverride;
import io.warhorse.core.config.Reference;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The flag table: every flag sets a real setting, and the command line really reads it. */
class FlagTest {

    @Test
    void everyFlagMapsToASettingInReferenceConf() {
        for (Flag flag : Flag.ALL) {
            assertTrue(Reference.isSetting(flag.path()), flag.name() + " maps to " + flag.path() + ", which reference.conf lacks");
        }
    }

    @Test
    void noTwoFlagsShareANameOrASetting() {
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (Flag flag : Flag.ALL) {
            flag.names().forEach(name -> assertTrue(names.add(name), "flag name used twice: " + name));
            assertTrue(paths.add(flag.path()), "two flags set " + flag.path());
        }
    }

    @Test
    void everyFlagIsParsedIntoItsSetting() throws Options.UsageException {
        for (Flag flag : Flag.ALL) {
            for (String name : flag.names()) {
                String value = flag.label().equals("BOOL") ? "false" : "v1";
                Options.Parsed parsed = Options.parse(new String[] {name, value}, Path.of("/"));
                assertEquals(List.of(new ConfigOverride(flag.path(), value, "command line " + flag.name())), parsed.overrides(), name);
            }
        }
    }

    @Test
    void theFlagsTheIssueAsksForExist() {
        Set<String> names = new HashSet<>();
        Flag.ALL.forEach(flag -> names.addAll(flag.names()));
        for (String wanted : List.of("--worker", "--bind", "-b", "--backlog", "--threads", "--queue", "--worker-connections",
                "--io-threads", "--log-level", "--graceful-timeout")) {
            assertTrue(names.contains(wanted), wanted);
        }
    }

    @Test
    void helpShowsEveryFlag() {
        String help = Options.usage(FakeKinds.all());
        for (Flag flag : Flag.ALL) {
            assertTrue(help.contains(flag.name() + "=") || help.contains(flag.name() + "[="),
                    flag.name() + " missing from --help:\n" + help);
        }
    }
}
