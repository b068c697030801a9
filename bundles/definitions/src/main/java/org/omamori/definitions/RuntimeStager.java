package org.omamori.definitions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Applies a {@code runtime} package by staging it (docs/fleet.md "Runtime updates"): its platform bundles
 * ({@code files/bundles/*.jar}, each an OSGi bundle, every symbolic name once) are copied into
 * {@code <home>/runtime/<version>/bundles/} and the version is left in {@code runtime/pending}. Nothing
 * runs them until the maintenance window, when the appliance restarts into them on trial (the launcher
 * goes back to the runtime before when they do not come up healthy). The runtime in force and the one
 * before it are kept.
 */
public final class RuntimeStager implements Applier {

    private final Path runtime;

    /** @param runtime the home's {@code runtime/} folder */
    public RuntimeStager(Path runtime) {
        this.runtime = runtime;
    }

    @Override
    public void apply(PackageVersion version, Path files) throws Exception {
        Path source = files.resolve("bundles");
        List<Path> jars;
        try (Stream<Path> list = Files.isDirectory(source) ? Files.list(source) : Stream.empty()) {
            jars = list.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("a runtime package holds its bundles in bundles/*.jar; this one has none");
        }
        Set<String> names = new HashSet<>();
        for (Path jar : jars) {
            String name = symbolicName(jar);
            if (!names.add(name)) {
                throw new IOException("bundle " + name + " is in the package twice");
            }
        }
        Path target = runtime.resolve(version.text());
        if (!Files.isDirectory(target.resolve("bundles"))) {
            Path staging = Files.createDirectories(runtime).resolve(".staging-" + version.text());
            delete(staging);
            Files.createDirectories(staging.resolve("bundles"));
            for (Path jar : jars) {
                Files.copy(jar, staging.resolve("bundles").resolve(jar.getFileName()));
            }
            delete(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
        // Applied again at every start (the installer re-applies what it recorded): a version running, on trial, or
        // one that failed its trial, is not started again.
        if (markedIn(List.of("current", "trial", "failed")).contains(version.text())) {
            return;
        }
        Path tmp = runtime.resolve("pending.tmp");
        Files.writeString(tmp, version.text() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, runtime.resolve("pending"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        prune(version.text());
    }

    /** The versions the launcher's marker files name ({@code trial} holds "VERSION tried" while it runs). */
    private Set<String> markedIn(List<String> markers) throws IOException {
        Set<String> versions = new HashSet<>();
        for (String marker : markers) {
            Path f = runtime.resolve(marker);
            if (Files.isRegularFile(f)) {
                versions.add(Files.readString(f, StandardCharsets.UTF_8).strip().split(" ")[0]);
            }
        }
        return versions;
    }

    /** The jar's Bundle-SymbolicName; refused when it is no bundle. */
    private static String symbolicName(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            Manifest m = j.getManifest();
            String name = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (name == null || name.isBlank()) {
                throw new IOException(jar.getFileName() + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            return name.split(";")[0].strip();
        }
    }

    /** Keeps the staged version, the one in force and the one on trial; older folders go. */
    private void prune(String staged) throws IOException {
        Set<String> keep = markedIn(List.of("current", "trial", "previous"));
        keep.add(staged);
        try (Stream<Path> dirs = Files.list(runtime)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String n = d.getFileName().toString();
                if (n.matches("\\d.*") && !keep.contains(n)) {
                    delete(d);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
