package org.omamori.definitions;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The version in force per kind, persisted in {@code <state>/definitions/versions.properties}
 * (written to a temporary file and renamed, so a crash leaves the old or the new file). This is
 * what rollback protection compares against; an unreadable file is an error, never "nothing
 * installed", so a damaged state cannot reopen the door to old packages.
 */
public final class InstalledVersions implements DefinitionVersions {

    private final Path file;
    private final Map<Kind, PackageVersion> versions = new EnumMap<>(Kind.class);
    /** Told of each version put in force (metrics, docs/metrics.md); called after the file is written. */
    private volatile java.util.function.BiConsumer<Kind, PackageVersion> onPut = (k, v) -> {
    };

    private InstalledVersions(Path file) {
        this.file = file;
    }

    public static InstalledVersions open(Path file) throws IOException {
        InstalledVersions v = new InstalledVersions(file);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String key : p.stringPropertyNames()) {
                try {
                    v.versions.put(Kind.parse(key), PackageVersion.parse(p.getProperty(key).strip()));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": " + e.getMessage() + "; fix or remove the line '" + key + "'", e);
                }
            }
        }
        return v;
    }

    public synchronized Optional<PackageVersion> get(Kind kind) {
        return Optional.ofNullable(versions.get(kind));
    }

    /** Records {@code version} as in force and persists it before returning. */
    public synchronized void put(Kind kind, PackageVersion version) throws IOException {
        Map<Kind, PackageVersion> next = new EnumMap<>(versions);
        next.put(kind, version);
        StringWriter w = new StringWriter();
        w.write("# Definitions in force, per kind; older packages are refused. Written by the appliance.\n");
        for (var e : next.entrySet()) {
            w.write(e.getKey().id() + "=" + e.getValue().text() + "\n");
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        versions.put(kind, version);
        onPut.accept(kind, version);
    }

    /** {@code listener} is told of every version put in force from now on (one listener: the last one set). */
    public void onPut(java.util.function.BiConsumer<Kind, PackageVersion> listener) {
        this.onPut = java.util.Objects.requireNonNull(listener, "listener");
    }

    @Override
    public synchronized Map<String, String> versions() {
        Map<String, String> m = new TreeMap<>();
        versions.forEach((k, v) -> m.put(k.id(), v.text()));
        return Map.copyOf(m);
    }
}
