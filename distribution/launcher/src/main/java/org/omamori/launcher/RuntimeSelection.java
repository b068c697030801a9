package org.omamori.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Which bundle set a runtime starts (docs/fleet.md "Runtime updates"): the one shipped beside the
 * launcher, or a runtime package the appliance took from the cloud, kept in the home as
 * {@code runtime/<version>/bundles/}. A new one starts as a <em>trial</em>: healthy within the limit, it
 * becomes the one in force; not (a component failed, a bundle did not resolve, or the JVM ended during
 * the trial), the previous one is started again and the outcome is left for the appliance to report.
 *
 * <pre>
 * runtime/current   the version in force (absent: the shipped bundles)
 * runtime/trial     the version to try at the next start, then "version tried" while it runs
 * runtime/outcome   "applied VERSION" or "fell back from VERSION: why", read and removed by the appliance
 * runtime/failed    the last version that fell back (not staged again)
 * </pre>
 */
final class RuntimeSelection {

    /** Exit code asking the supervisor (systemd: Restart=on-failure) for a new start. */
    static final int RESTART = 75;

    /** What this start runs. */
    record Choice(Path bundles, String version, boolean trial) {
    }

    private final Path runtime;
    private final Path shipped;

    RuntimeSelection(Path home, Path shipped) {
        this.runtime = home.resolve("runtime");
        this.shipped = shipped;
    }

    Choice choose() throws IOException {
        Optional<String> trial = read("trial");
        if (trial.isPresent()) {
            String[] parts = trial.get().split(" ");
            String version = parts[0];
            if (parts.length > 1) {
                // Marked as tried and we are here again: the JVM ended during the trial (a crash, a hang killed).
                fallBack(version, "did not come up (the runtime ended during its trial)");
            } else if (!Files.isDirectory(bundlesOf(version))) {
                fallBack(version, "its bundles are not in " + bundlesOf(version));
            } else {
                write("trial", version + " tried");
                return new Choice(bundlesOf(version), version, true);
            }
        }
        Optional<String> current = read("current");
        if (current.isPresent() && Files.isDirectory(bundlesOf(current.get()))) {
            return new Choice(bundlesOf(current.get()), current.get(), false);
        }
        return new Choice(shipped, "shipped", false);
    }

    /** The trial came up healthy: it is the runtime in force. */
    void commit(String version) throws IOException {
        Optional<String> before = read("current");
        if (before.isPresent()) {
            write("previous", before.get()); // kept on disk beside the new one
        }
        write("current", version);
        Files.deleteIfExists(runtime.resolve("trial"));
        write("outcome", "applied " + version);
    }

    /** The trial did not come up healthy: the next start runs the one in force before. */
    void fallBack(String version, String why) throws IOException {
        write("failed", version); // never tried again: a newer package is the way on
        Files.deleteIfExists(runtime.resolve("trial"));
        write("outcome", "fell back from " + version + ": " + why.replaceAll("\\p{Cntrl}", " "));
    }

    private Path bundlesOf(String version) {
        return runtime.resolve(version).resolve("bundles");
    }

    private Optional<String> read(String name) throws IOException {
        Path file = runtime.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        // A version is numbers and dots (docs/definitions.md); anything else in these files is ignored.
        return text.matches("\\d{1,9}(\\.\\d{1,9}){0,3}( tried)?") ? Optional.of(text) : Optional.empty();
    }

    private void write(String name, String text) throws IOException {
        Files.createDirectories(runtime);
        Path tmp = runtime.resolve(name + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, runtime.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
