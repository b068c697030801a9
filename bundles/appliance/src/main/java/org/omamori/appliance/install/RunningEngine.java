package org.omamori.appliance.install;

import java.util.List;
import java.util.Objects;

/** An engine service registered now, and the bundle that provides it. */
public record RunningEngine(String id, String version, List<String> functions, String bundleSymbolicName, String bundleVersion) {

    public RunningEngine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        functions = List.copyOf(functions);
        Objects.requireNonNull(bundleSymbolicName, "bundleSymbolicName");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
    }
}
