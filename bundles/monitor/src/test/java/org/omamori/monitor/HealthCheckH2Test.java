package org.omamori.monitor;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.threeten.extra.MutableClock;

/** {@link HealthCheckCases} on H2. */
class HealthCheckH2Test extends HealthCheckCases {

    @TempDir
    Path dir;

    @Override
    Store openStore(MutableClock clock) {
        return Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
    }
}
