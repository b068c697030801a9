package org.omamori.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The appliance's class-data archive (docs/operations.md "Class-data archive"): the JVM writes the
 * classes a start loaded, the JDK's, the launcher's and the bundles' (Felix's class loaders
 * included), to {@code state/cds/<key>.jsa} when the appliance stops, and maps them at the next
 * start instead of reading, parsing and verifying them again: about half of a start's time went
 * into loading some 4,800 classes.
 *
 * <p>The key is a digest of what the classes come from: the JVM (its home and version), the
 * launcher jar, the shipped bundles and the runtime package the next start picks
 * ({@code runtime/current}, {@code runtime/trial}). Another key is another file, written anew at the
 * next stop; the old ones are deleted here. The JVM checks the rest itself (the class path, each
 * bundle class's size and CRC: a class whose bytes changed is loaded from its jar), and
 * {@code -XX:+AutoCreateSharedArchive} writes a new archive when the one named cannot be used.
 */
public final class ClassDataArchive {

    /** The folder under the home. */
    public static final String FOLDER = "state/cds";

    private ClassDataArchive() {
    }

    /**
     * The JVM options that map the archive of this home and runtime, or write it at the next stop.
     * Relative to the home (the JVM's working directory), so the line holds no space for a shell
     * to split. Removes the archives of other keys. None before Java 19 (no automatic archive).
     */
    public static List<String> jvmOptions(Path home, Path launcherJar, Path shippedBundles, int javaFeature) throws IOException {
        if (javaFeature < 19) {
            return List.of();
        }
        String name = key(home, launcherJar, shippedBundles) + ".jsa";
        Path folder = home.resolve(FOLDER);
        Files.createDirectories(folder);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, "*.jsa")) {
            for (Path p : old) {
                if (!p.getFileName().toString().equals(name)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return List.of("-XX:SharedArchiveFile=" + FOLDER + "/" + name, "-XX:+AutoCreateSharedArchive");
    }

    /** 16 hex digits of SHA-256 over the JVM, the launcher jar, the shipped bundles and the runtime selection. */
    static String key(Path home, Path launcherJar, Path shippedBundles) throws IOException {
        List<String> parts = new ArrayList<>();
        parts.add(System.getProperty("java.home") + " " + System.getProperty("java.vm.version"));
        parts.add(describe(launcherJar));
        if (Files.isDirectory(shippedBundles)) {
            try (Stream<Path> jars = Files.list(shippedBundles)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    parts.add(describe(jar));
                }
            }
        }
        for (String selection : new String[] {"current", "trial"}) {
            Path file = home.resolve("runtime").resolve(selection);
            parts.add(selection + "=" + (Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : ""));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return file + " absent";
        }
        return file.toAbsolutePath() + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
    }
}
