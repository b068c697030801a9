package org.omamori.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/** Opens the store a cloud home configures, for the operator's commands (docs/cloud.md). */
final class CloudStoreAccess {

    private CloudStoreAccess() {
    }

    static Path home(Path given) {
        return (given == null ? ApplianceHome.root().resolve("run").resolve("cloud") : given).toAbsolutePath();
    }

    /** The store of {@code home}; H2 is opened beside a running node through AUTO_SERVER. */
    static Store open(Path home) throws IOException {
        return Store.open(StoreSettings.ofHome(home));
    }
}
