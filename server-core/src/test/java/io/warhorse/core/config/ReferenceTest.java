package io.warhorse.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void everySettingInReferenceConfHasADocComment() {
        Config reference = ConfigFactory.parseResources(ReferenceTest.class.getClassLoader(), "reference.conf");
        List<String> undocumented = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> setting : reference.getConfig("warhorse").entrySet()) {
            if (setting.getValue().origin().comments().stream().allMatch(String::isBlank)) {
                undocumented.add("warhorse." + setting.getKey());
            }
        }
        assertTrue(undocumented.isEmpty(), "settings without a comment in reference.conf: " + undocumented);
    }

    @Test
    void everyKeyLivesUnderTheWarhorseRoot() {
        Config reference = ConfigFactory.parseResources(ReferenceTest.class.getClassLoader(), "reference.conf");
        assertEquals(List.of("warhorse"), List.copyOf(reference.root().keySet()));
    }

    @Test
    void noTwoSettingsShareAnEnvironmentVariable() {
        Map<String, String> pathByName = new HashMap<>();
        for (String path : Reference.settings()) {
            String other = pathByName.put(EnvVars.nameOf(path), path);
            assertNull(other, path + " and " + other + " both map to " + EnvVars.nameOf(path));
            assertTrue(EnvVars.nameOf(path).matches("WARHORSE_[A-Z0-9_]+"), EnvVars.nameOf(path));
        }
        assertEquals("WARHORSE_WORKER_CONNECTIONS", EnvVars.nameOf("warhorse.worker-connections"));
        assertEquals("WARHORSE_ASYNC_THREADS", EnvVars.nameOf("warhorse.async.threads"));
    }

    @Test
    void settingsAreListedInTheOrderReferenceConfDeclaresThem() {
        List<String> settings = Reference.settings();
        assertEquals("warhorse.worker.kind", settings.getFirst());
        assertEquals("warhorse.log-level", settings.getLast());
        assertTrue(settings.indexOf("warhorse.http.max-header-size") < settings.indexOf("warhorse.http.idle-timeout"));
    }

    /** Every setting is read into one Settings field: a setting nobody reads is a lie in reference.conf. */
    @Test
    void settingsRecordHasOneFieldPerSetting() {
        assertEquals(Reference.settings().size(), leafComponents(Settings.class));
    }

    private static int leafComponents(Class<?> type) {
        int count = 0;
        for (RecordComponent component : type.getRecordComponents()) {
            count += component.getType().isRecord() && component.getType().getEnclosingClass() == Settings.class
                    ? leafComponents(component.getType()) : 1;
        }
        return count;
    }

    @Test
    void suggestsTheNearestSettingForATypo() {
        assertEquals("warhorse.threads", Reference.suggest("warhorse.thread"));
        assertEquals("warhorse.worker-connections", Reference.suggest("warhorse.worker-conections"));
        assertEquals("warhorse.threads", Reference.suggest("threads"));
        assertNull(Reference.suggest("warhorse.completely-unrelated-thing"));
    }

    @Test
    void blocksAndLeavesAreToldApart() {
        assertTrue(Reference.isBlock("warhorse.http"));
        assertFalse(Reference.isBlock("warhorse.threads"));
        assertTrue(Reference.isUnderSetting("warhorse.threads.max"));
        assertFalse(Reference.isSetting("warhorse.http"));
    }
}
