package org.omamori.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** {@link Reports} on embedded H2 in a file, the default database. */
class H2ReportsTest extends ReportsContract {

    private Path dir;

    @Override
    StoreSettings settings() throws Exception {
        dir = Files.createTempDirectory("omamori-reports-h2");
        return StoreSettings.h2File(dir.resolve("omamori"));
    }

    @Override
    void dispose() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
