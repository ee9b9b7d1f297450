package io.warhorse.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file read as systemd does for the keys the tests use: {@code [Section]} then {@code Key=value}. */
record UnitFile(Map<String, String> values) {

    static UnitFile read(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (line.contains("=")) {
                values.put(section + "." + line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return new UnitFile(values);
    }

    /** {@code get("Service", "ExecStart")}; fails when the unit lacks it. */
    String get(String section, String key) {
        String value = values.get(section + "." + key);
        if (value == null) {
            throw new AssertionError("no " + key + "= in [" + section + "]");
        }
        return value;
    }

    /** A command line of the unit, split on spaces (the recipes quote nothing). */
    List<String> command(String section, String key) {
        return List.of(get(section, key).split("\\s+"));
    }
}
