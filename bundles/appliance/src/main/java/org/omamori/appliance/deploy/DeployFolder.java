package org.omamori.appliance.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.omamori.appliance.deploy.DeployStatus.FileStatus;
import org.omamori.appliance.deploy.DeployStatus.State;
import org.omamori.appliance.install.EngineInstallation;
import org.omamori.appliance.install.HostedBundle;
import org.omamori.appliance.install.InstallOutcome;
import org.omamori.appliance.install.Origin;
import org.omamori.appliance.install.UninstallOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watched folder of engine bundle jars: a jar that appears or changes is verified and
 * installed or updated; a jar that disappears takes its bundle with it.
 *
 * <p>Only {@code *.jar} files count, so a copy in progress under another name ({@code .tmp},
 * {@code .part}) is ignored until renamed. A jar is acted on only once its size and modification
 * time are the same in two scans at least the settle time apart. Each content is tried once:
 * a refused jar is reported once and stays refused (see {@link #status()}) until it changes.
 *
 * <p>Which jar installed which bundle survives restarts through the bundle's location and a small
 * index of content digests in the state directory, so {@link #reconcile()} at start-up redoes
 * only what changed while the appliance was down.
 */
public final class DeployFolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);

    private record Observation(long size, long modified) {
    }

    /** A file state first seen at {@code since}. */
    private record Sighting(Observation observation, Instant since) {
    }

    /** The last content handed to the installer, and what came of it. */
    private record Handled(Observation observation, String digest, State state, String bundle, String version, String detail) {
        Handled seenAgain(Observation now) {
            return new Handled(now, digest, state, bundle, version, detail);
        }
    }

    private final Path directory;
    private final EngineInstallation installation;
    private final Path indexFile;
    private final Duration settle;
    private final Clock clock;

    private final Map<String, Sighting> sightings = new HashMap<>();
    private final Map<String, Handled> handled = new TreeMap<>();
    private volatile boolean closed;
    private Thread watcher;

    /**
     * @param indexFile where to remember which content installed which bundle, across restarts
     * @param settle    how long a jar must keep its size and modification time before it is used
     */
    public DeployFolder(Path directory, EngineInstallation installation, Path indexFile, Duration settle, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.installation = Objects.requireNonNull(installation, "installation");
        this.indexFile = Objects.requireNonNull(indexFile, "indexFile");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path directory() {
        return directory;
    }

    /**
     * Brings the framework in line with the folder after a restart: bundles whose jar was removed
     * meanwhile are uninstalled; jars whose content is the one already installed are taken as
     * handled; every other jar is handled by the next scans.
     */
    public synchronized void reconcile() {
        Map<String, Observation> present = scan();
        Map<String, String[]> index = readIndex();
        for (HostedBundle bundle : installation.installedByAppliance()) {
            if (!(bundle.origin().orElseThrow() instanceof Origin.DeployFile(String file))) {
                continue;
            }
            if (!present.containsKey(file)) {
                LOG.info("deploy file {} was removed while the appliance was down: uninstalling {}", file, bundle.symbolicName());
                installation.uninstall(bundle.symbolicName());
                continue;
            }
            String[] known = index.get(file);
            if (known != null && known[1].equals(bundle.symbolicName())) {
                String digest = digest(directory.resolve(file));
                if (known[0].equals(digest)) {
                    Observation observation = present.get(file);
                    handled.put(file, new Handled(observation, digest, State.INSTALLED, bundle.symbolicName(), bundle.version(),
                            "installed before the restart"));
                    sightings.put(file, new Sighting(observation, clock.instant()));
                }
            }
        }
        writeIndex();
    }

    /** One scan of the folder: acts on jars that are new or changed and stable, and on jars that are gone. */
    public synchronized void poll() {
        Instant now = clock.instant();
        Map<String, Observation> present = scan();
        for (Map.Entry<String, Observation> file : present.entrySet()) {
            String name = file.getKey();
            Observation observation = file.getValue();
            Sighting sighting = sightings.get(name);
            if (sighting == null || !sighting.observation().equals(observation)) {
                sightings.put(name, new Sighting(observation, now));
                continue; // new or still changing
            }
            if (Duration.between(sighting.since(), now).compareTo(settle) < 0) {
                continue;
            }
            Handled last = handled.get(name);
            if (last != null && last.observation().equals(observation)) {
                continue;
            }
            String digest = digest(directory.resolve(name));
            if (digest == null) {
                continue; // vanished or unreadable now; the next scan sees which
            }
            if (last != null && last.digest().equals(digest) && last.state() != State.FAILED) {
                handled.put(name, last.seenAgain(observation)); // touched, same content: nothing to do
                continue;
            }
            handle(name, observation, digest);
        }
        for (String name : new TreeSet<>(handled.keySet())) {
            if (!present.containsKey(name)) {
                removed(name);
            }
        }
        sightings.keySet().retainAll(present.keySet());
    }

    private void handle(String name, Observation observation, String digest) {
        InstallOutcome outcome = installation.install(directory.resolve(name), Origin.deployFile(name));
        Handled result = switch (outcome) {
            case InstallOutcome.Installed i -> new Handled(observation, digest, State.INSTALLED, i.symbolicName(), i.version(), outcome.summary());
            case InstallOutcome.Updated u -> new Handled(observation, digest, State.INSTALLED, u.symbolicName(), u.toVersion(), outcome.summary());
            case InstallOutcome.Refused r -> new Handled(observation, digest, State.REFUSED, "", "", r.reason());
            case InstallOutcome.Failed f -> new Handled(observation, digest, State.FAILED, "", "", outcome.summary());
        };
        Handled previous = handled.put(name, result);
        if (result.state() == State.REFUSED) {
            LOG.warn("deploy file {} refused, it stays in the folder unused until it changes: {}", name, result.detail());
        }
        if (previous != null && previous.state() == State.INSTALLED && result.state() != State.INSTALLED) {
            // The previous content's bundle stays installed: a refused update changes nothing.
            LOG.warn("deploy file {} changed but the new content was not installed; {} {} stays", name, previous.bundle(), previous.version());
        }
        writeIndex();
    }

    private void removed(String name) {
        Handled last = handled.remove(name);
        if (last.state() == State.INSTALLED) {
            boolean claimedElsewhere = handled.values().stream()
                    .anyMatch(h -> h.state() == State.INSTALLED && h.bundle().equals(last.bundle()));
            if (claimedElsewhere) {
                LOG.info("deploy file {} removed; bundle {} stays, another jar in the folder provides it", name, last.bundle());
            } else {
                UninstallOutcome outcome = installation.uninstall(last.bundle());
                LOG.info("deploy file {} removed: {}", name, outcome.summary());
            }
        }
        writeIndex();
    }

    public synchronized DeployStatus status() {
        List<FileStatus> files = new ArrayList<>();
        Map<String, Observation> present = scan();
        for (Map.Entry<String, Observation> file : present.entrySet()) {
            Handled last = handled.get(file.getKey());
            if (last == null || !last.observation().equals(file.getValue())) {
                files.add(new FileStatus(file.getKey(), State.WAITING, "", "", last == null
                        ? "new, waiting until it is completely written"
                        : "changed, waiting until it is completely written; before: " + last.detail()));
            } else {
                files.add(new FileStatus(file.getKey(), last.state(), last.bundle(), last.version(), last.detail()));
            }
        }
        return new DeployStatus(directory, files);
    }

    /** Starts watching in a background thread: scans every {@code interval}, and at once when the folder changes. */
    public synchronized void start(Duration interval) throws IOException {
        Files.createDirectories(directory);
        WatchService watch = directory.getFileSystem().newWatchService();
        directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        watcher = Thread.ofPlatform().name("omamori-deploy-folder").daemon().unstarted(() -> watch(watch, interval));
        watcher.start();
        LOG.info("watching deploy folder {}", directory.toAbsolutePath());
    }

    private void watch(WatchService watch, Duration interval) {
        try (watch) {
            reconcile();
            while (!closed) {
                try {
                    poll();
                } catch (RuntimeException e) {
                    LOG.error("deploy folder scan failed, trying again: {}", e.toString(), e);
                }
                WatchKey key = watch.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("deploy folder {} is no longer watched: {}", directory, e.toString(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread thread;
        synchronized (this) {
            thread = watcher;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The jars in the folder now, by file name; hidden files and anything not named *.jar are ignored. */
    private Map<String, Observation> scan() {
        Map<String, Observation> found = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.jar")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        found.put(name, new Observation(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
                    }
                } catch (NoSuchFileException e) {
                    // removed between listing and reading: it is simply not there
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list deploy folder {}: {}", directory, e.toString());
        }
        return found;
    }

    private static String digest(Path file) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            return null;
        }
    }

    /** file name → {digest, symbolic name} of the content that is installed. */
    private Map<String, String[]> readIndex() {
        Map<String, String[]> index = new HashMap<>();
        if (!Files.exists(indexFile)) {
            return index;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(indexFile, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("deploy index {} unreadable, every jar will be verified and installed again: {}", indexFile, e.toString());
            return index;
        }
        for (String file : properties.stringPropertyNames()) {
            String[] value = properties.getProperty(file).split(" ", 2);
            if (value.length == 2) {
                index.put(file, value);
            }
        }
        return index;
    }

    private void writeIndex() {
        Properties properties = new Properties();
        handled.forEach((file, h) -> {
            if (h.state() == State.INSTALLED) {
                properties.setProperty(file, h.digest() + " " + h.bundle());
            }
        });
        try {
            Files.createDirectories(indexFile.toAbsolutePath().getParent());
            Path temporary = indexFile.resolveSibling(indexFile.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(out, "deploy folder: file = sha256 bundle-symbolic-name, of the content installed");
            }
            Files.move(temporary, indexFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write deploy index {}; after a restart installed jars will be installed again: {}", indexFile, e.toString());
        }
    }
}
