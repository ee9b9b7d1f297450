package io.warhorse.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warhorse.core.config.ConfigOverride;
import io.warhorse.core.config.Reference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --reload} (a bare switch) and {@code --reload-extra-file} (repeatable) set the reload settings. */
class ReloadFlagsTest {

    @Test
    void reloadAndItsExtraFilesBecomeOverridesOfRealSettings() throws Options.UsageException {
        Options.Parsed parsed = Options.parse(new String[] {"--reload",
                "--reload-extra-file", "a.properties", "--reload-extra-file", "templates", "app.war"}, Path.of("/"));
        assertEquals(List.of(new ConfigOverride("warhorse.reload.enabled", "true", "command line --reload"),
                new ConfigOverride("warhorse.reload.extra-files", List.of("a.properties", "templates"),
                        "command line --reload-extra-file"),
                new ConfigOverride("warhorse.apps", List.of("app.war"), "command line APP")), parsed.overrides());
        assertTrue(Reference.isSetting("warhorse.reload.enabled"));
        assertTrue(Reference.isSetting("warhorse.reload.extra-files"));
    }

    @Test
    void anExtraFileFlagWithoutAFileIsAUsageError() {
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"app.war", "--reload-extra-file"}, Path.of("/")));
    }

    @Test
    void helpShowsBoth() {
        String help = Options.usage(FakeKinds.all());
        assertTrue(help.contains("--reload ") && help.contains("--reload-extra-file=FILE"), help);
    }
}
