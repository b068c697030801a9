package org.omamori.engine.ips.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.omamori.api.config.ListSetting;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetSource;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.DatabaseCache;
import org.omamori.hyperscan.Hyperscan;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPS as an engine service: wires configuration to {@link IpsEngine}. Rules are compiled at
 * activation and recompiled in the background on a configuration change; a set that fails
 * leaves the one in force.
 */
@Component(service = Engine.class, configurationPid = "org.omamori.engine.ips")
@Designate(ocd = IpsConfig.class)
public final class IpsComponent implements Engine {

    /** Framework property: the appliance home that relative paths are resolved against. */
    static final String HOME_PROPERTY = "omamori.home";

    private static final Logger LOG = LoggerFactory.getLogger(IpsComponent.class);

    private final IpsEngine engine;
    private final Path home;

    @Activate
    public IpsComponent(BundleContext context, IpsConfig config) throws Exception {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
        IpsSettings settings = settings(config);
        engine = new IpsEngine(context.getBundle().getVersion().toString(), settings);
        // Which native path the scans take (docs/operations.md "Native fast paths"), said once as the DNS and AV
        // engines do. Finding it loads the library and links the scan calls and their upcall (method handles and
        // classes made at run time: 100-200 ms of one core in a start), which compiling the rules does not need:
        // done beside this thread (the appliance's start-level thread); compiling waits only for the library,
        // and a first scan for the link.
        Thread.ofPlatform().name("ips-hyperscan-link").daemon().start(() -> {
            try {
                LOG.info("Hyperscan matches come back by {}", Hyperscan.matchCallback());
            } catch (RuntimeException e) {
                LOG.warn("Hyperscan: {}", e.toString()); // Hyperscan.load() below says it too, and fails the component
            }
        });
        Hyperscan.load(); // as before, a library that cannot load (or a CPU without SSSE3) fails the component here
        engine.loadNow(source(config), settings);
    }

    @Modified
    void modified(IpsConfig config) throws Exception {
        engine.reload(source(config), settings(config));
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public EngineDescriptor descriptor() {
        return engine.descriptor();
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        return engine.inspect(request);
    }

    private RuleSetSource source(IpsConfig config) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (String p : ListSetting.entries(config.rules())) {
            paths.add(home.resolve(p));
        }
        Variables variables = Variables.defaults();
        if (!config.homeNet().isBlank()) {
            variables = variables.withAddress("HOME_NET", config.homeNet().trim());
        }
        if (!config.externalNet().isBlank()) {
            variables = variables.withAddress("EXTERNAL_NET", config.externalNet().trim());
        }
        Classtypes classtypes = Classtypes.standard();
        if (!config.classification().isBlank()) {
            classtypes = classtypes.with(home.resolve(config.classification()));
        }
        // threshold.config beside the rules (Suricata's global thresholds) and the configured one, looked for at each load
        Path own = config.thresholdFile().isBlank() ? null : home.resolve(config.thresholdFile().trim());
        Variables vars = variables;
        Classtypes types = classtypes;
        DatabaseCache cache = config.databaseCache().isBlank() ? null : new DatabaseCache(home.resolve(config.databaseCache().trim()));
        return new RuleSetSource() {
            @Override
            public CompiledRules compile(IpsSettings settings) throws Exception {
                int loaded = cache == null ? 0 : cache.loaded();
                int compiled = cache == null ? 0 : cache.compiled();
                CompiledRules rules = RuleSets.compile(paths, thresholdFiles(paths, own), vars, types, settings,
                        n -> LOG.info("IPS rules: {} read so far", n), cache);
                if (cache != null) {
                    LOG.info("IPS Hyperscan databases: {} loaded from {}, {} compiled", cache.loaded() - loaded, cache.folder(),
                            cache.compiled() - compiled);
                }
                return rules;
            }

            @Override
            public String toString() {
                return paths + " (with " + RuleSets.THRESHOLD_FILE + " beside them" + (own == null ? "" : " and " + own) + ")";
            }
        };
    }

    /**
     * The threshold files of a load: those in the rule folders or beside rule files (a definitions
     * package may bring one), then the configured one, which stays when a package replaces the rules.
     */
    static List<Path> thresholdFiles(List<Path> rulePaths, Path configured) {
        List<Path> files = new ArrayList<>(RuleSets.thresholdFilesNextTo(rulePaths));
        if (configured != null && Files.isRegularFile(configured)) {
            Path p = configured.toAbsolutePath().normalize();
            if (!files.contains(p)) {
                files.add(p);
            }
        }
        return files;
    }

    static IpsSettings settings(IpsConfig config) {
        String level = config.blockLevel().trim().toUpperCase(Locale.ROOT);
        Optional<Level> blockLevel = switch (level) {
            case "LOW", "MEDIUM", "HIGH", "CRITICAL" -> Optional.of(Level.valueOf(level));
            case "NEVER" -> Optional.empty();
            default -> throw new IllegalArgumentException("blockLevel must be low, medium, high, critical or never, not '"
                    + config.blockLevel() + "'");
        };
        return new IpsSettings(blockLevel, config.windowBytes(), config.maxBodyBytes());
    }
}
