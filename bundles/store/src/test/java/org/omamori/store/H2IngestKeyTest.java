package org.omamori.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The ingest key on embedded H2 opened as a cloud node opens it (AUTO_SERVER, WRITE_DELAY=0). */
class H2IngestKeyTest extends IngestKeyContract {

    private Path home;

    @Override
    StoreSettings settings() throws Exception {
        home = Files.createTempDirectory("omamori-ingest-h2");
        StoreSettings node = StoreSettings.ofHome(home);
        return new StoreSettings(node.jdbcUrl(), node.user(), node.password(), THREADS);
    }

    @Override
    void dispose() throws Exception {
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
