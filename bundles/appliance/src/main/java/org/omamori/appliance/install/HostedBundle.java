package org.omamori.appliance.install;

import java.util.Objects;
import java.util.Optional;

/**
 * A bundle installed in the framework, as the installer sees it.
 *
 * @param id           the framework's bundle id; 0 is the framework itself
 * @param engine       whether its manifest declares that it provides the engine service
 */
public record HostedBundle(long id, String symbolicName, String version, String location, boolean engine) {

    public HostedBundle {
        Objects.requireNonNull(symbolicName, "symbolicName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(location, "location");
    }

    /** Where it came from, when this appliance installed it. */
    public Optional<Origin> origin() {
        return Origin.ofLocation(location);
    }

    /**
     * Whether the installer may replace or remove it: the engines, and what it installed itself,
     * never the framework or the platform's own bundles.
     */
    public boolean managedByInstaller() {
        return id != 0 && (engine || origin().isPresent());
    }
}
