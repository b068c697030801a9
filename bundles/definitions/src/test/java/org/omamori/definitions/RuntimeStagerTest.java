package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runtime package is staged, not run: its bundles copied under runtime/<version>/, the version left pending (docs/fleet.md). */
class RuntimeStagerTest {

    @TempDir
    Path dir;

    static void bundle(Path jar, String name) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (name != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", name + ";singleton:=true");
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    @Test
    void bundlesAreStagedUnderTheirVersionAndOlderOnesPruned() throws Exception {
        Path runtime = dir.resolve("home/runtime");
        RuntimeStager stager = new RuntimeStager(runtime);
        Path files = dir.resolve("p1/files");
        bundle(files.resolve("bundles/a.jar"), "org.omamori.a");
        bundle(files.resolve("bundles/b.jar"), "org.omamori.b");
        stager.apply(PackageVersion.parse("2.0.1"), files);
        assertThat(runtime.resolve("2.0.1/bundles/a.jar")).exists();
        assertThat(Files.readString(runtime.resolve("pending")).strip()).isEqualTo("2.0.1");
        stager.apply(PackageVersion.parse("2.0.1"), files); // idempotent

        Files.writeString(runtime.resolve("current"), "2.0.1\n");
        stager.apply(PackageVersion.parse("2.0.2"), files);
        stager.apply(PackageVersion.parse("2.0.3"), files);
        assertThat(runtime.resolve("2.0.1")).as("in force: kept").exists();
        assertThat(runtime.resolve("2.0.2")).as("staged before, never run: gone").doesNotExist();
        assertThat(Files.readString(runtime.resolve("pending")).strip()).isEqualTo("2.0.3");
    }

    @Test
    void aPackageWithoutBundlesOrWithAJarThatIsNoBundleIsRefused() throws Exception {
        RuntimeStager stager = new RuntimeStager(dir.resolve("runtime"));
        Path empty = Files.createDirectories(dir.resolve("e/files"));
        assertThatThrownBy(() -> stager.apply(PackageVersion.parse("1"), empty)).hasMessageContaining("has none");
        Path notABundle = dir.resolve("n/files");
        bundle(notABundle.resolve("bundles/x.jar"), null);
        assertThatThrownBy(() -> stager.apply(PackageVersion.parse("1"), notABundle)).hasMessageContaining("not an OSGi bundle");
        Path twice = dir.resolve("t/files");
        bundle(twice.resolve("bundles/x.jar"), "org.omamori.x");
        bundle(twice.resolve("bundles/y.jar"), "org.omamori.x");
        assertThatThrownBy(() -> stager.apply(PackageVersion.parse("1"), twice)).hasMessageContaining("twice");
        assertThat(dir.resolve("runtime/pending")).doesNotExist();
    }
}
