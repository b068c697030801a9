package org.omamori.fleet;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the appliance made of its settings, kept across restarts ({@code state/settings/in-force.properties}):
 * the version in force with the keys it set, and the last version refused (not fetched again).
 */
public record SettingsState(OptionalInt inForce, Set<String> keys, OptionalInt refused, java.util.Optional<String> reason) {

    public static final SettingsState NONE = new SettingsState(OptionalInt.empty(), Set.of(), OptionalInt.empty(), java.util.Optional.empty());

    public SettingsState {
        keys = Set.copyOf(keys);
    }

    public static SettingsState read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return NONE;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String keys = p.getProperty("keys", "");
        return new SettingsState(number(p.getProperty("version")), keys.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(keys.split(","))),
                number(p.getProperty("refused")), java.util.Optional.ofNullable(p.getProperty("reason")));
    }

    /** Temp file and atomic rename: a crash leaves the old state or the new one. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Properties p = new Properties();
        inForce.ifPresent(v -> p.setProperty("version", Integer.toString(v)));
        p.setProperty("keys", String.join(",", new TreeSet<>(keys)));
        refused.ifPresent(v -> p.setProperty("refused", Integer.toString(v)));
        reason.ifPresent(r -> p.setProperty("reason", r));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "settings from the cloud (docs/fleet.md)");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public SettingsState applied(int version, Set<String> newKeys) {
        return new SettingsState(OptionalInt.of(version), newKeys, OptionalInt.empty(), java.util.Optional.empty());
    }

    public SettingsState refused(int version, String why) {
        return new SettingsState(inForce, keys, OptionalInt.of(version), java.util.Optional.of(why));
    }

    private static OptionalInt number(String s) {
        try {
            return s == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
