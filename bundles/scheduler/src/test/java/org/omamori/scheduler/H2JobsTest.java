package org.omamori.scheduler;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/** {@link JobsContract} on embedded H2 in a file, the default database: one node. */
class H2JobsTest extends JobsContract {

    @TempDir
    Path dir;

    @Override
    Store openStore() {
        return Store.open(StoreSettings.h2File(dir.resolve("omamori")));
    }

    @Override
    int nodes() {
        return 1;
    }

    @Override
    void dispose() {
        // @TempDir removes the files
    }
}
