package io.warhorse.core.deploy;

import com.codahale.metrics.MetricRegistry;
import io.undertow.security.idm.IdentityManager;
import io.warhorse.core.config.Settings;
import io.warhorse.core.security.LoginGuard;
import io.warhorse.core.security.RealmFile;
import io.warhorse.core.security.RealmIdentityManager;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code security.realm-file} once per worker, for every app it deploys. A worker reads it when it starts, so
 * a HUP (which replaces the workers) picks up a changed file. Plain-text passwords are accepted with a warning.
 * Runs on the worker's main thread.
 */
final class Realms {

    private static final Logger LOG = LoggerFactory.getLogger(Realms.class);

    private Realms() {}

    static IdentityManager identities(Settings.Security settings, MetricRegistry metrics) throws DeploymentException {
        RealmFile realm = settings.realmFile() == null ? RealmFile.empty() : read(settings);
        List<String> plain = realm.plainTextUsers();
        if (!plain.isEmpty()) {
            LOG.warn("REALM FILE {} (pid:{}): users {} have plain-text passwords; replace each with the line "
                    + "`warhorse passwd USER` prints (bcrypt)", realm.file(), ProcessHandle.current().pid(), plain);
        }
        return new RealmIdentityManager(realm, new LoginGuard(settings.failedLoginDelay(), System::nanoTime), metrics);
    }

    private static RealmFile read(Settings.Security settings) throws DeploymentException {
        try {
            RealmFile realm = RealmFile.read(settings.realmFile());
            LOG.info("realm file {}: {} users", settings.realmFile(), realm.size());
            return realm;
        } catch (IOException e) {
            throw new DeploymentException("security.realm-file " + settings.realmFile() + " cannot be used: "
                    + e.getMessage(), e);
        }
    }
}
