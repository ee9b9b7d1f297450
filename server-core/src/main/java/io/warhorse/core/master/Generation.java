package io.warhorse.core.master;

import io.warhorse.core.config.Settings;
import java.nio.file.Path;

/**
 * One version of the configuration and apps: what a worker of this generation runs. HUP makes a new generation
 * from the config file and the apps as they are on disk then.
 *
 * @param number       1 at start, one more per reload
 * @param settings     the effective settings
 * @param settingsFile the resolved settings written for the workers, which read it instead of the command line
 */
record Generation(int number, Settings settings, Path settingsFile) {}
