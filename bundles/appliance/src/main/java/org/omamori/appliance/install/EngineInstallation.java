package org.omamori.appliance.install;

import java.nio.file.Path;
import java.util.List;

/**
 * Installing and removing engine bundles: what the deploy folder and the admin endpoint ask
 * for. {@link EngineInstaller} is the real one; tests give the callers a fake.
 */
public interface EngineInstallation {

    /** Verifies the jar, then installs it, or updates the bundle of the same symbolic name, and starts it. */
    InstallOutcome install(Path jar, Origin origin);

    /** Removes the engine bundle with this symbolic name. */
    UninstallOutcome uninstall(String symbolicName);

    /** The bundles this installer put in the framework (by their location), whatever their origin. */
    List<HostedBundle> installedByAppliance();
}
