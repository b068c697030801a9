package org.omamori.engine.appid.ndpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JNI shim ({@code src/main/c/omamori_ndpi.c}) and nDPI behind it, loaded once per class
 * loader of this bundle. The shim is unpacked under a name unique to this class loader: a JNI
 * library binds to one class loader, so an updated engine bundle loads its own copy instead of
 * failing on the old one's; libndpi itself is opened by the shim with dlopen, which the process
 * does once whatever the number of copies.
 */
final class NdpiNative {

    /** Where Debian (and a local build) put nDPI 4.2, multiarch folders first. */
    static final List<String> LIBRARY_CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libndpi.so.4.2", "/usr/lib/aarch64-linux-gnu/libndpi.so.4.2",
            "/usr/lib/libndpi.so.4.2", "/usr/local/lib/libndpi.so.4.2");

    /** System property naming libndpi explicitly (another path than the candidates). */
    static final String LIBRARY_PROPERTY = "omamori.ndpi.library";
    /** System property: the folder the shim is unpacked into (the launcher's native cache). */
    static final String CACHE_PROPERTY = "omamori.native.cache";

    private static final Object LOCK = new Object();
    private static Optional<String> loadProblem; // empty: loaded; guarded by LOCK
    private static String library = "";

    private NdpiNative() {
    }

    /** Loads the shim and nDPI once; empty when usable, else why not (for the log and health). */
    static Optional<String> load() {
        synchronized (LOCK) {
            if (loadProblem == null) {
                loadProblem = tryLoad();
            }
            return loadProblem;
        }
    }

    /** The libndpi file in use, or empty before a successful load. */
    static String library() {
        synchronized (LOCK) {
            return library;
        }
    }

    private static Optional<String> tryLoad() {
        String found = findLibrary();
        if (found == null) {
            return Optional.of("libndpi (nDPI 4.2) is not installed: none of " + LIBRARY_CANDIDATES
                    + " exists (install it with scripts/ndpi.sh install, or apt-get install libndpi4.2)");
        }
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        String resource = "/native/linux-" + arch + "/libomamori_ndpi.so";
        if (arch == null || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("no nDPI shim for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        try (InputStream in = NdpiNative.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.of("the bundle holds no " + resource + " (built on another architecture?)");
            }
            Path dir = cacheDir();
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "omamori_ndpi-", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            try {
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file); // mapped once loaded: nothing is left behind, even after a crash
            }
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return Optional.of("the nDPI shim did not load: " + e.getMessage());
        }
        String problem = open(found);
        if (problem != null) {
            return Optional.of("libndpi at " + found + " did not open: " + problem);
        }
        library = found;
        return Optional.empty();
    }

    private static String findLibrary() {
        String explicit = System.getProperty(LIBRARY_PROPERTY, "");
        if (!explicit.isBlank()) {
            return Files.isRegularFile(Path.of(explicit)) ? explicit : null;
        }
        for (String candidate : LIBRARY_CANDIDATES) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** This property, else the appliance's native cache (the launcher sets it for JavaCPP), else a temporary folder. */
    private static Path cacheDir() {
        for (String property : List.of(CACHE_PROPERTY, "org.bytedeco.javacpp.cachedir")) {
            String cache = System.getProperty(property, "");
            if (!cache.isBlank()) {
                return Path.of(cache);
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "omamori-native");
    }

    /** dlopens libndpi and looks up its functions; null when done, else why not. */
    static native String open(String libraryPath);

    static native String revision();

    /**
     * A detection module with every protocol enabled, the extra host rules of {@code protocols}
     * (a file in nDPI's protocols-file syntax, or null) and its flow buffer; 0 when out of memory
     * or the file was refused.
     */
    static native long newModule(String protocols);

    static native void freeModule(long module);

    /**
     * One fresh flow over {@code count} IPv4 packets concatenated in {@code packets}: writes
     * master protocol, application protocol, category and whether nDPI gave up into {@code out}.
     * Returns the packets processed, or -1 on bad arguments.
     */
    static native int identify(long module, byte[] packets, int[] lengths, int count, long timeMillis, int[] out);

    static native String protocolName(long module, int id);

    static native String categoryName(long module, int category);
}
