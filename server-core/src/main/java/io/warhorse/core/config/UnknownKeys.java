package io.warhorse.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds keys in a user's file that are no setting: a typo there would otherwise be ignored in silence and the
 * default used. Walks the unresolved tree, so a file with substitutions ({@code ${?PORT}}) can be checked too.
 */
final class UnknownKeys {

    private UnknownKeys() {}

    static List<ConfigProblem> find(Config config) {
        List<ConfigProblem> problems = new ArrayList<>();
        walk(config.root(), new ArrayList<>(), problems);
        return problems;
    }

    private static void walk(ConfigObject object, List<String> keys, List<ConfigProblem> problems) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            List<String> childKeys = new ArrayList<>(keys);
            childKeys.add(entry.getKey());
            String path = ConfigUtil.joinPath(childKeys);
            ConfigValue value = entry.getValue();
            if (Reference.isBlock(path) && value instanceof ConfigObject child) {
                walk(child, childKeys, problems);
            } else if (!Reference.isSetting(path) && !Reference.isBlock(path) && !Reference.isUnderSetting(path)) {
                problems.add(ConfigProblem.at(value.origin(), path, unknown(path)));
            }
        }
    }

    private static String unknown(String path) {
        String suggestion = Reference.suggest(path);
        String hint = path.startsWith(Reference.ROOT + ".") ? "" : " (every setting lives under '" + Reference.ROOT + "')";
        return suggestion == null
                ? "unknown setting" + hint + "; `warhorse --print-config` lists them all"
                : "unknown setting" + hint + "; did you mean " + suggestion + "?";
    }
}
