package org.omamori.simulator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.omamori.definitions.Applier;
import org.omamori.definitions.CloudSource;
import org.omamori.definitions.DefinitionVersions;
import org.omamori.definitions.InstalledVersions;
import org.omamori.definitions.Installer;
import org.omamori.definitions.Kind;
import org.omamori.definitions.OperatorKey;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.Poller;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;

/**
 * The definitions side of one virtual appliance, with the appliance's own classes (docs/definitions.md):
 * a {@link CloudSource} with the device token of the appliance's home, a {@link Poller} (every hour, and at
 * once when a heartbeat's answer names a newer package: {@link #newerServed}), and an {@link Installer} that
 * verifies each package against the operator key, refuses an older version than the one in force, unpacks it
 * into {@code <home>/definitions/<kind>/<version>/} and records it in
 * {@code <home>/state/definitions/versions.properties}. Its outcomes are events in the appliance's spool
 * ({@code definitions:applied}, {@code definitions:refused}, {@code definitions:failed}), shipped by its uplink.
 *
 * <p>The engines are shared by every virtual appliance of a process, so a package is not loaded into them:
 * a recording applier stands in for the engine's (it reads the files and remembers what was applied when), and
 * {@link #failApplying} makes it throw, as an engine or clamd refusing the package would. Thread-safe.
 */
public final class SimulatedDefinitions implements DefinitionVersions, AutoCloseable {

    /** Between two pulls without a hint (a real appliance's default). */
    static final Duration INTERVAL = Duration.ofHours(1);

    /** A package put in force: its kind, version, number of files, and when. */
    public record Applied(Kind kind, PackageVersion version, int files, Instant at) {
    }

    private final Installer installer;
    private final InstalledVersions installed;
    private final CloudSource cloud;
    private final Set<Kind> kinds;
    private final Recorder recorder;
    private Poller poller; // null while unplugged; guarded by this

    private SimulatedDefinitions(Installer installer, InstalledVersions installed, CloudSource cloud, Set<Kind> kinds, Recorder recorder) {
        this.installer = installer;
        this.installed = installed;
        this.cloud = cloud;
        this.kinds = Set.copyOf(kinds);
        this.recorder = recorder;
    }

    /**
     * Opens the definitions of the appliance in {@code home} (what an earlier run put in force stays); pulls
     * start with {@link #plugIn()}.
     *
     * @param operatorKey the operator's Ed25519 public key (PEM) the appliance accepts packages from
     * @param trusted     PEM file with the cloud's certificate; empty: the JDK's trust store
     * @param tokenFile   where the uplink's activation keeps the device token
     */
    public static SimulatedDefinitions open(Path home, Path operatorKey, Set<Kind> kinds, URI cloudUrl, Optional<Path> trusted,
                                            Path tokenFile, EventFactory events, EventSink sink) throws IOException {
        InstalledVersions installed = InstalledVersions.open(home.resolve("state/definitions/versions.properties"));
        CloudSource cloud = new CloudSource(cloudUrl, token(tokenFile),
                PackageLimits.DEFAULT_MAX_PACKAGE_BYTES, Duration.ofSeconds(30),
                trusted.isPresent() ? CloudSource.trusting(trusted.get()) : null);
        Recorder recorder = new Recorder();
        Map<Kind, Applier> appliers = new EnumMap<>(Kind.class);
        for (Kind kind : kinds) {
            appliers.put(kind, (version, files) -> recorder.apply(kind, version, files));
        }
        Installer installer = new Installer(home.resolve("definitions"), new PackageReader(OperatorKey.load(operatorKey),
                PackageLimits.defaults()), installed, appliers, events, sink);
        return new SimulatedDefinitions(installer, installed, cloud, kinds, recorder);
    }

    /** Stands in for the engines' appliers: what an engine would load, counted; a failure when told to fail. */
    private static final class Recorder {
        private final List<Applied> applied = new CopyOnWriteArrayList<>();
        private volatile String failure; // null: applying works

        void apply(Kind kind, PackageVersion version, Path files) throws IOException {
            String why = failure;
            if (why != null) {
                throw new IOException(why);
            }
            int count;
            try (var walk = Files.walk(files)) {
                count = (int) walk.filter(Files::isRegularFile).count();
            }
            applied.add(new Applied(kind, version, count, Instant.now()));
        }
    }

    /** Starts pulling (the appliance is plugged in). Idempotent. */
    public synchronized void plugIn() {
        if (poller == null) {
            poller = new Poller(installer, Optional.of(cloud), Optional.empty(), kinds, INTERVAL, INTERVAL);
        }
    }

    /** Stops pulling (unplugged); a pull under way is interrupted. Idempotent. */
    public synchronized void unplug() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
    }

    /** The versions in force, for the heartbeat. */
    @Override
    public Map<String, String> versions() {
        return installed.versions();
    }

    /** The heartbeat's answer named newer packages: pull at once (several hints before it runs make one pull). */
    @Override
    public void newerServed(Set<String> newer) {
        Poller p;
        synchronized (this) {
            p = poller;
        }
        if (p != null) {
            p.pullSoon();
        }
    }

    /** The version of {@code kind} in force. */
    public Optional<PackageVersion> inForce(Kind kind) {
        return installed.get(kind);
    }

    /** Every package put in force since start, in order. */
    public List<Applied> applied() {
        return List.copyOf(recorder.applied);
    }

    /**
     * From now on applying a package fails with {@code why} (the installer keeps the version in force and
     * reports {@code definitions:failed}); empty: applying works again.
     */
    public void failApplying(Optional<String> why) {
        recorder.failure = why.orElse(null);
    }

    @Override
    public void close() {
        unplug();
    }

    /** The device token the uplink's activation wrote (first line), read at each pull; empty before activation. */
    private static Supplier<Optional<String>> token(Path file) {
        return () -> {
            try {
                if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                    return Optional.empty();
                }
                return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }
}
