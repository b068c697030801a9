package org.omamori.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive's options and key (docs/operations.md "Class-data archive"). */
class ClassDataArchiveTest {

    @TempDir
    Path dir;
    Path home;
    Path jar;
    Path bundles;

    @BeforeEach
    void runtime() throws IOException {
        home = Files.createDirectories(dir.resolve("a home with spaces"));
        jar = Files.writeString(dir.resolve("omamori-appliance.jar"), "launcher");
        bundles = Files.createDirectories(dir.resolve("bundles"));
        Files.writeString(bundles.resolve("org.omamori.a.jar"), "a");
        Files.writeString(bundles.resolve("org.omamori.b.jar"), "b");
    }

    private List<String> options() throws IOException {
        return ClassDataArchive.jvmOptions(home, jar, bundles, 25);
    }

    @Test
    void theArchiveIsNamedInTheHomesStateRelativeSoTheLineHasNoSpace() throws IOException {
        List<String> o = options();
        assertThat(o).hasSize(2).last().isEqualTo("-XX:+AutoCreateSharedArchive");
        assertThat(o.get(0)).matches("-XX:SharedArchiveFile=state/cds/[0-9a-f]{16}\\.jsa");
        assertThat(String.join(" ", o)).doesNotContain(home.toString());
        assertThat(home.resolve(ClassDataArchive.FOLDER)).isDirectory();
        assertThat(options()).as("the same runtime, the same archive").isEqualTo(o);
        assertThat(ClassDataArchive.jvmOptions(home, jar, bundles, 17)).as("no automatic archive before Java 19").isEmpty();
    }

    @Test
    void aChangedRuntimeGetsANewArchiveAndTheOldOneIsDeleted() throws IOException {
        String first = options().get(0);
        Path archive = home.resolve(first.substring(first.indexOf('=') + 1));
        Files.writeString(archive, "classes of the first runtime");

        Files.writeString(bundles.resolve("org.omamori.b.jar"), "b, rebuilt");
        String updated = options().get(0);
        assertThat(updated).as("a bundle jar changed").isNotEqualTo(first);
        assertThat(archive).as("the old runtime's archive").doesNotExist();

        Files.setLastModifiedTime(bundles.resolve("org.omamori.a.jar"), FileTime.fromMillis(1_000_000));
        String touched = options().get(0);
        assertThat(touched).as("a bundle jar replaced by one of the same size").isNotEqualTo(updated);

        Files.writeString(bundles.resolve("org.omamori.c.jar"), "c");
        String added = options().get(0);
        assertThat(added).as("a bundle added").isNotEqualTo(touched);

        Files.createDirectories(home.resolve("runtime"));
        Files.writeString(home.resolve("runtime/trial"), "2.1\n");
        String trial = options().get(0);
        assertThat(trial).as("a runtime package on trial").isNotEqualTo(added);
        Files.delete(home.resolve("runtime/trial"));
        Files.writeString(home.resolve("runtime/current"), "2.1\n");
        assertThat(options().get(0)).as("a runtime package in force").isNotEqualTo(trial).isNotEqualTo(added);

        Files.writeString(jar, "another launcher");
        assertThat(options().get(0)).as("another launcher").isNotEqualTo(added);
        try (var files = Files.list(home.resolve(ClassDataArchive.FOLDER))) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
