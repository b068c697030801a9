package org.omamori.definitions.component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.omamori.api.config.ListSetting;
import org.omamori.definitions.Applier;
import org.omamori.definitions.ClamdApplier;
import org.omamori.definitions.CloudSource;
import org.omamori.definitions.DefinitionVersions;
import org.omamori.definitions.DropFolder;
import org.omamori.definitions.InstalledVersions;
import org.omamori.definitions.Installer;
import org.omamori.definitions.Kind;
import org.omamori.definitions.KeyInForce;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.RuntimeStager;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.Poller;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the definitions: configuration {@value #PID} to an {@link Installer} with one
 * {@link Applier} per kind (the URL filter's and the IPS's configuration through Configuration
 * Admin, clamd's database folder and RELOAD for AV), a {@link Poller} over the cloud and the drop
 * folder, and offers the versions in force as {@link DefinitionVersions}. A configuration change
 * re-creates it. Without the operator key nothing is installed and the log says where to put it.
 */
@Component(configurationPid = DefinitionsComponent.PID, immediate = true, service = DefinitionVersions.class)
@Designate(ocd = DefinitionsConfig.class)
public final class DefinitionsComponent implements DefinitionVersions {

    public static final String PID = "org.omamori.definitions";
    /** Framework property: the appliance home that relative paths are resolved against. */
    static final String HOME_PROPERTY = "omamori.home";
    static final String URLFILTER_PID = "org.omamori.engine.urlfilter";
    static final String IPS_PID = "org.omamori.engine.ips";

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionsComponent.class);

    private InstalledVersions installed;
    /** The runtime package running (the launcher's omamori.runtime.version), or "shipped". */
    private String runningRuntime;
    private Poller poller;
    private DefinitionsMeters meters;

    @Activate
    public DefinitionsComponent(BundleContext context, DefinitionsConfig config,
                                // Optional for a cloud node (no events of its own); greedy, so an appliance's come in.
                                @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                                EventFactory events,
                                @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                                EventSink sink, @Reference ConfigurationAdmin admin) {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        Path home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath().normalize();
        runningRuntime = context.getProperty("omamori.runtime.version");
        try {
            installed = InstalledVersions.open(home.resolve(config.versionsFile()));
        } catch (IOException e) {
            LOG.error("definitions disabled: {}", e.getMessage());
            return;
        }
        Path keyFile = home.resolve(config.operatorKey());
        Path legacy = home.resolve("trust").resolve("operator-ed25519.pem");
        if (!Files.exists(keyFile) && Files.isRegularFile(legacy) && "keys/operator-ed25519.pem".equals(config.operatorKey())) {
            // A home made before the key moved out of trust/ (where engine-signing certificates live).
            LOG.warn("definitions: the operator key is read from {}; move it to {} (trust/ is for engine-signing certificates)", legacy, keyFile);
            keyFile = legacy;
        }
        KeyInForce key;
        try {
            key = KeyInForce.load(keyFile);
        } catch (IOException e) {
            LOG.error("definitions disabled: no usable operator key ({}); put the operator's Ed25519 public key (PEM) at {}"
                    + " or set operatorKey in configuration {}", e.getMessage(), keyFile, PID);
            return;
        }
        try {
            PackageLimits limits = PackageLimits.defaults().withMaxPackageBytes(config.maxPackageBytes())
                    .withMaxUnpackedBytes(config.maxUnpackedBytes()).withMaxEntries(config.maxEntries());
            Duration timeout = Duration.ofSeconds(config.requestTimeoutSeconds());
            Map<Kind, Applier> appliers = new EnumMap<>(Kind.class);
            appliers.put(Kind.KEYS, key); // always: a rotation of the operator key is not a choice of content
            for (String k : ListSetting.entries(config.kinds())) {
                Kind kind = Kind.parse(k);
                appliers.put(kind, switch (kind) {
                    case URLFILTER -> new EngineConfiguration(admin, URLFILTER_PID, "lists", false, home);
                    case IPS -> new EngineConfiguration(admin, IPS_PID, "rules", true, home);
                    case AV -> new ClamdApplier(home.resolve(config.clamdDatabase()), clamd(config), Duration.ofSeconds(10));
                    case KEYS -> key;
                    case RUNTIME -> new RuntimeStager(home.resolve("runtime"));
                });
            }
            Path root = home.resolve(config.folder());
            Installer installer = new Installer(root, new PackageReader(key, limits), installed, appliers, events, sink);
            installer.reapply();
            meters = new DefinitionsMeters(Meters.shared(), installer::appliedAt, Clock.systemUTC());
            for (Kind kind : Kind.values()) {
                installed.get(kind).ifPresent(v -> meters.inForce(kind, v));
            }
            installed.onPut(meters::inForce);
            Optional<CloudSource> cloud = Optional.empty();
            if (!config.cloudUrl().isBlank()) {
                cloud = Optional.of(new CloudSource(URI.create(config.cloudUrl().strip()), tokenFile(home.resolve(config.tokenFile())),
                        config.maxPackageBytes(), timeout,
                        config.trustedCertificates().isBlank() ? null : CloudSource.trusting(home.resolve(config.trustedCertificates()))));
            }
            DropFolder drop = new DropFolder(root.resolve("incoming"), installer, config.maxPackageBytes(), Duration.ofSeconds(2),
                    Clock.systemUTC());
            poller = new Poller(installer, cloud, Optional.of(drop), appliers.keySet(),
                    Duration.ofSeconds(config.intervalSeconds()), Duration.ofSeconds(config.dropScanSeconds()));
            LOG.info("definitions: in force {}; pulling {} from {} every ~{} min; drop folder {}", installed.versions(),
                    appliers.keySet(), cloud.map(c -> c.base().toString()).orElse("nowhere (cloudUrl empty)"),
                    config.intervalSeconds() / 60, drop.folder());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("definitions disabled: {}; fix configuration {}", e.getMessage(), PID);
        }
    }

    @Deactivate
    void deactivate() {
        if (poller != null) {
            poller.close();
        }
        if (meters != null) {
            meters.close();
        }
    }

    @Override
    public Map<String, String> versions() {
        if (installed == null) {
            return Map.of();
        }
        Map<String, String> versions = new java.util.TreeMap<>(installed.versions());
        // A runtime package taken is only staged: the heartbeat says the runtime that runs (a canary promotes on it).
        if (versions.containsKey(Kind.RUNTIME.id())) {
            if (runningRuntime != null && runningRuntime.matches("\\d[\\d.]*")) {
                versions.put(Kind.RUNTIME.id(), runningRuntime);
            } else {
                versions.remove(Kind.RUNTIME.id());
            }
        }
        return versions;
    }

    @Override
    public void newerServed(java.util.Set<String> kinds) {
        Poller p = poller;
        if (p != null) {
            p.pullSoon();
        }
    }

    private static SocketAddress clamd(DefinitionsConfig config) {
        return config.clamdSocket().isBlank() ? new InetSocketAddress(config.clamdHost(), config.clamdPort())
                : UnixDomainSocketAddress.of(config.clamdSocket());
    }

    /** The device token: the first line of the file the uplink's activation writes, read at each pull. */
    static Supplier<Optional<String>> tokenFile(Path file) {
        return () -> {
            try {
                if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                    return Optional.empty();
                }
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).findFirst();
            } catch (IOException e) {
                LOG.warn("definitions: device token not readable from {}: {}", file, e.getMessage());
                return Optional.empty();
            }
        };
    }
}
