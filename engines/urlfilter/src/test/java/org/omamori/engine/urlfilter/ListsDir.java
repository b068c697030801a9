package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a lists directory for a test: {@code file("phishing/domains", "a.test", "b.test")}. */
final class ListsDir {

    final Path root;

    ListsDir(Path root) {
        this.root = root;
    }

    ListsDir file(String name, String... lines) {
        return bytes(name, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    ListsDir bytes(String name, byte[] content) {
        try {
            Path p = root.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CategoryLists load() {
        try {
            return CategoryLists.load(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sampleLists() {
        return Path.of("sample-lists").toAbsolutePath();
    }
}
