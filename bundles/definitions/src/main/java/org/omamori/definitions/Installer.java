package org.omamori.definitions;

import org.omamori.api.text.Printable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.omamori.api.engine.Level;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.omamori.definitions.Refused.Reason;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs packages one at a time: verify and unpack into a staging folder, refuse an older
 * version than the one in force (rollback), rename the staging folder to
 * {@code definitions/<kind>/<version>/} (atomic, same file system), hand it to the kind's
 * {@link Applier}, record the version, and prune to the version in force plus the one before.
 * Every outcome but "already current" is logged and published as a system event.
 */
public final class Installer {

    /** Rule id of the event for a package put in force. */
    public static final String APPLIED = "definitions:applied";
    /** Rule id of the event for a refused package (bad signature, rollback, malformed, too large). */
    public static final String REFUSED = "definitions:refused";
    /** Rule id of the event for a good package that could not be put in force. */
    public static final String FAILED = "definitions:failed";

    private static final Logger LOG = LoggerFactory.getLogger(Installer.class);
    private static final String STAGING = ".staging-";

    private final Path root;
    private final PackageReader reader;
    private final InstalledVersions installed;
    private final Map<Kind, Applier> appliers;
    private final EventFactory events;
    private final EventSink sink;

    /**
     * @param root      the {@code definitions} folder under the appliance home
     * @param installed the versions in force (rollback protection)
     * @param appliers  one per kind; a kind without one is refused as malformed ("not handled here")
     * @param events    makes the events of refused packages; null on a cloud node (only logged there)
     * @param sink      where those events go; null on a cloud node
     */
    public Installer(Path root, PackageReader reader, InstalledVersions installed, Map<Kind, Applier> appliers,
                     EventFactory events, EventSink sink) throws IOException {
        this.root = root;
        this.reader = reader;
        this.installed = installed;
        this.appliers = Map.copyOf(appliers);
        this.events = events;
        this.sink = sink;
        Files.createDirectories(root);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(root, STAGING + "*")) {
            for (Path p : leftovers) {
                delete(p);
            }
        }
    }

    public InstalledVersions installed() {
        return installed;
    }

    /** The folder of one version of one kind. */
    public Path folder(Kind kind, PackageVersion version) {
        return root.resolve(kind.id()).resolve(version.text());
    }

    /** The folder's time is when its version came into force: the age survives a restart ({@link #appliedAt}). */
    private static void markApplied(Path folder) {
        try {
            Files.setLastModifiedTime(folder, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        } catch (IOException e) {
            LOG.debug("definitions: could not set the time of {} (its age reads from when it was unpacked): {}", folder, e.getMessage());
        }
    }

    /**
     * When the version of {@code kind} in force was applied: the time of its folder, set when it
     * came into force; empty when none is in force or its folder is gone.
     */
    public Optional<java.time.Instant> appliedAt(Kind kind) {
        Optional<PackageVersion> version = installed.get(kind);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.getLastModifiedTime(folder(kind, version.get())).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies, unpacks and applies one package.
     *
     * @param origin where it came from, for logs and events (e.g. {@code cloud}, {@code incoming/x.zip})
     */
    public synchronized Outcome install(SignedPackage pkg, String origin) {
        awaitMemory(origin);
        Path staging = root.resolve(STAGING + UUID.randomUUID());
        Manifest manifest = null;
        try {
            manifest = reader.unpack(pkg, staging);
            Kind kind = manifest.kind();
            PackageVersion version = manifest.version();
            Optional<PackageVersion> current = installed.get(kind);
            if (current.isPresent() && !version.isNewerThan(current.get())) {
                if (version.compareTo(current.get()) == 0) {
                    LOG.debug("definitions {} {} from {}: already in force", kind, version, origin);
                    return new Outcome.Current(kind, version);
                }
                throw new Refused(Reason.ROLLBACK, kind + " " + version + " is older than " + current.get()
                        + " in force (a replayed package)");
            }
            Applier applier = appliers.get(kind);
            if (applier == null) {
                throw new Refused(Reason.MALFORMED, "this appliance does not apply " + kind + " definitions");
            }
            Path target = folder(kind, version);
            Files.createDirectories(target.getParent());
            if (Files.exists(target)) {
                delete(target); // left by an attempt that failed before it was recorded
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            try {
                applier.apply(version, target.resolve("files"));
                installed.put(kind, version);
                markApplied(target);
            } catch (Exception e) {
                delete(target);
                return report(new Outcome.Failed(kind, version, describe(e)), origin);
            }
            prune(kind, version);
            return report(new Outcome.Applied(kind, version), origin);
        } catch (Refused r) {
            String why = manifest == null ? r.getMessage() : manifest.kind() + " " + manifest.version() + ": " + r.getMessage();
            return report(new Outcome.Rejected(r.reason(), why), origin);
        } catch (IOException | RuntimeException e) {
            String what = manifest == null ? "package" : manifest.kind() + " " + manifest.version();
            return report(new Outcome.Rejected(Reason.MALFORMED, what + " could not be unpacked: " + describe(e)), origin);
        } finally {
            delete(staging);
        }
    }

    /**
     * Past the memory budget (docs/operations.md "Memory budget") a package waits until load is
     * accepted again: loading new definitions beside those in force is what would take the heap over.
     */
    private static void awaitMemory(String origin) {
        LoadShedding memory = Shedding.current();
        try {
            while (!memory.awaitAccepting(java.time.Duration.ofMinutes(1))) {
                memory.refused("definitions");
                LOG.warn("definitions from {} wait: memory budget, {}", origin, memory.reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reports a package refused before it was read (a drop-folder file whose name is not
     * acceptable) like any other refused package: logged and published as an event.
     */
    public Outcome refuse(Refused refused, String origin) {
        return report(new Outcome.Rejected(refused.reason(), refused.getMessage()), origin);
    }

    /**
     * Applies the versions on record again (at start): an engine configuration reset by hand, or a
     * clamd database folder emptied, gets the definitions in force back. Logged, not reported.
     */
    public synchronized void reapply() {
        for (var e : appliers.entrySet()) {
            Kind kind = e.getKey();
            Optional<PackageVersion> version = installed.get(kind);
            if (version.isEmpty()) {
                continue;
            }
            Path files = folder(kind, version.get()).resolve("files");
            if (!Files.isDirectory(files)) {
                LOG.warn("definitions {} {} are on record but {} is gone; the next newer package will replace them", kind, version.get(), files);
                continue;
            }
            try {
                e.getValue().apply(version.get(), files);
            } catch (Exception ex) {
                LOG.warn("definitions {} {} not applied again at start: {}", kind, version.get(), describe(ex));
            }
        }
    }

    private Outcome report(Outcome outcome, String rawOrigin) {
        String origin = Printable.of(rawOrigin);
        try {
            switch (outcome) {
                case Outcome.Applied a -> {
                    LOG.info("definitions {} {} applied (from {})", a.kind(), a.version(), origin);
                    publish(APPLIED, "definitions applied", Level.LOW, a.kind() + " " + a.version() + " from " + origin);
                }
                case Outcome.Rejected r -> {
                    LOG.warn("definitions package from {} refused ({}): {}", origin, r.reason().id(), r.why());
                    Level level = r.reason() == Reason.BAD_SIGNATURE || r.reason() == Reason.ROLLBACK ? Level.HIGH : Level.MEDIUM;
                    publish(REFUSED, "definitions refused: " + r.reason().id(), level, r.why() + " (from " + origin + ")");
                }
                case Outcome.Failed f -> {
                    LOG.error("definitions {} {} from {} not applied, the previous ones stay in force: {}", f.kind(), f.version(), origin, f.why());
                    publish(FAILED, "definitions not applied", Level.HIGH, f.kind() + " " + f.version() + ": " + f.why() + " (from " + origin + ")");
                }
                case Outcome.Current c -> { }
            }
        } catch (RuntimeException e) {
            LOG.error("definitions: the event of {} was not published: {}", outcome, describe(e));
        }
        return outcome;
    }

    private void publish(String ruleId, String ruleName, Level level, String note) {
        if (events == null || sink == null) {
            return; // a cloud node: no event stream of its own; the outcome is logged
        }
        sink.publish(List.of(events.system(ruleId, ruleName, level, note)));
    }

    /** Keeps the version in force and the newest one before it; removes the rest. */
    private void prune(Kind kind, PackageVersion current) {
        List<PackageVersion> older = new ArrayList<>();
        List<Path> remove = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve(kind.id()))) {
            for (Path p : dirs) {
                PackageVersion v;
                try {
                    v = PackageVersion.parse(p.getFileName().toString());
                } catch (IllegalArgumentException e) {
                    continue; // not ours
                }
                if (v.compareTo(current) < 0) {
                    older.add(v);
                } else if (!v.equals(current)) {
                    remove.add(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("definitions {}: old versions not pruned: {}", kind, describe(e));
            return;
        }
        older.sort(null);
        for (int i = 0; i < older.size() - 1; i++) {
            remove.add(folder(kind, older.get(i)));
        }
        for (Path p : remove) {
            delete(p);
        }
    }

    static void delete(Path p) {
        try {
            Folders.delete(p);
        } catch (IOException e) {
            LOG.warn("definitions: could not remove {}: {}", p, describe(e));
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
