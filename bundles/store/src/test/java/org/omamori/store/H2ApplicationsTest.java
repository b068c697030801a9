package org.omamori.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** {@link Applications} on embedded H2 in a file, the default database. */
class H2ApplicationsTest extends ApplicationsContract {

    private Path dir;

    @Override
    StoreSettings settings() throws Exception {
        dir = Files.createTempDirectory("omamori-apps-h2");
        return StoreSettings.h2File(dir.resolve("omamori"));
    }

    @Override
    void dispose() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
