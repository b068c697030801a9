package org.omamori.appliance.install;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The framework operations the installer needs. Implemented over a BundleContext in the
 * component package, and in memory by the tests.
 */
public interface BundleHost {

    List<HostedBundle> bundles();

    /** The installed bundle with this symbolic name; with several versions, the one with the highest id. */
    default Optional<HostedBundle> find(String symbolicName) {
        return bundles().stream()
                .filter(b -> b.symbolicName().equals(symbolicName))
                .reduce((a, b) -> b.id() > a.id() ? b : a);
    }

    HostedBundle install(String location, InputStream jar) throws BundleHostException;

    HostedBundle update(long id, InputStream jar) throws BundleHostException;

    void start(long id) throws BundleHostException;

    void uninstall(long id) throws BundleHostException;
}
