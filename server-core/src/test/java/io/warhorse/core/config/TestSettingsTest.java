package io.warhorse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestSettingsTest {

    @Test
    void changesOnlyTheSettingsGiven() {
        Settings settings = TestSettings.of("warhorse.worker.kind", "sync", "warhorse.threads", "4", "warhorse.bind", "127.0.0.1:0");
        assertEquals("sync", settings.worker());
        assertEquals(4, settings.threads());
        assertEquals(0, settings.bind().port());
        assertEquals(64, settings.queue());
    }

    @Test
    void refusesWhatAUserWouldBeRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> TestSettings.of("warhorse.threads", "0"));
        assertTrue(error.getMessage().contains("warhorse.threads: must be at least 1, got 0"), error.getMessage());
    }
}
