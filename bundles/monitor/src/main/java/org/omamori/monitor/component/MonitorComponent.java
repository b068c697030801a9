package org.omamori.monitor.component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.api.engine.Engine;
import org.omamori.backoffice.edition.Editions;
import org.omamori.backoffice.edition.ServiceStandard;
import org.omamori.definitions.DefinitionVersions;
import org.omamori.grading.StarTable;
import org.omamori.grading.StarTableException;
import org.omamori.monitor.EditionTables;
import org.omamori.monitor.Investigator;
import org.omamori.monitor.Monitor;
import org.omamori.monitor.MonitorSettings;
import org.omamori.monitor.metrics.CloudGauges;
import org.omamori.metrics.Meters;
import org.omamori.notify.Brand;
import org.omamori.notify.LivenessPolicy;
import org.omamori.notify.SmtpSettings;
import org.omamori.scheduler.Jobs;
import org.omamori.store.IngestStore;
import org.omamori.store.Store;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@link Monitor} (configuration {@value #PID}) over the {@link Store}: registers the
 * graded {@link IngestStore} the cloud API uses, and runs the jobs through the cluster-safe
 * scheduler on the store's database. A new configuration or store restarts it.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.omamori.store.IngestStore",
        uses = IngestStore.class)
@Component(service = {}, immediate = true, configurationPid = MonitorComponent.PID)
public final class MonitorComponent {

    public static final String PID = "org.omamori.monitor";

    private static final Logger LOG = LoggerFactory.getLogger(MonitorComponent.class);

    /** The cloud's engines (the same bundles as on appliances), for investigations. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<Engine> engines = List.of();

    /** The versions of the definitions the engines run with; absent when definitions are not set up. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile DefinitionVersions definitions;

    /** The editions installed in this node (filled by {@link #addEdition} as edition bundles come and go). */
    private final Editions editions = new Editions();
    private volatile Monitor monitor;
    private final Jobs jobs;
    private final ServiceRegistration<IngestStore> registration;
    private final CloudGauges gauges;
    private final List<ServiceRegistration<org.omamori.metrics.HealthCheck>> checks;

    @Activate
    public MonitorComponent(BundleContext context, MonitorConfig config, @Reference Store store) {
        MonitorSettings settings = settings(config, context.getProperty("omamori.home"));
        Monitor monitor = new Monitor(store, settings, Clock.systemUTC(), editions);
        this.monitor = monitor;
        Duration check = Duration.ofSeconds(config.checkSeconds());
        Investigator investigator = monitor.investigator(() -> engines, () -> {
            DefinitionVersions d = definitions;
            return d == null ? Map.of() : d.versions();
        }, Duration.ofSeconds(config.investigationSettleSeconds()));
        this.jobs = monitor.startJobs(check, Duration.ofSeconds(Math.min(5, Math.min(config.checkSeconds(), config.definitionsCanarySeconds()))),
                Optional.of(investigator), new org.omamori.monitor.CanaryCheck(Duration.ofSeconds(config.definitionsCanarySeconds()),
                        Duration.ofSeconds(config.definitionsQuietSeconds())));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("graded", Boolean.TRUE);
        this.registration = context.registerService(IngestStore.class, monitor.ingest(), properties);
        this.gauges = new CloudGauges(Meters.shared(), store.faults(), monitor.monitoring(), settings.liveness().silence(), Clock.systemUTC());
        this.checks = List.of(context.registerService(org.omamori.metrics.HealthCheck.class, monitor.mailHealth(), null),
                context.registerService(org.omamori.metrics.HealthCheck.class, monitor.schedulerHealth(jobs), null));
        LOG.info("monitor: alert mail batched over {}, stopped after {} without a heartbeat, {} days kept, mail {}",
                settings.mailWindow(), settings.liveness().silence(), settings.retentionDays(),
                settings.smtp().map(s -> "via " + s.host() + ":" + s.port()).orElse("kept in the outbox (no SMTP configured)"));
    }

    static MonitorSettings settings(MonitorConfig c, String home) {
        StarTable stars = StarTable.standard();
        if (!c.starTable().isBlank()) {
            Path file = Path.of(home == null ? "" : home).resolve(c.starTable().trim());
            try {
                stars = StarTable.parse(file);
            } catch (IOException | StarTableException e) {
                throw new IllegalArgumentException("star table " + file + ": " + e.getMessage(), e);
            }
        }
        LivenessPolicy liveness = new LivenessPolicy(Duration.ofSeconds(c.silenceSeconds()), LocalTime.parse(c.dailyCheck().trim()),
                ZoneId.of(c.zone().trim()), Duration.ofHours(c.quietAfterFirstHours()));
        Optional<SmtpSettings> smtp = Optional.empty();
        if (!c.smtpHost().isBlank()) {
            SmtpSettings s = SmtpSettings.of(c.smtpHost().trim(), c.smtpPort(), c.mailFrom().trim())
                    .withStarttls(SmtpSettings.Starttls.valueOf(c.smtpStarttls().trim()))
                    .withFromName(c.mailFromName());
            if (!c.smtpTrust().isBlank()) {
                s = s.trusting(Path.of(home == null ? "" : home).resolve(c.smtpTrust().trim()));
            }
            smtp = Optional.of(c.smtpUser().isBlank() ? s : s.withLogin(c.smtpUser().trim(), c._smtpPassword()));
        }
        return new MonitorSettings(stars, Duration.ofSeconds(c.mailWindowSeconds()), liveness, c.retentionDays(),
                new Brand(c.serviceName(), c.desk(), c.portal()), smtp, 10_000);
    }

    /**
     * An edition bundle's service arrived (installed, started, or updated: the new one comes before
     * the old one goes). It is checked (docs/edition-sdk.md "Checked on install"): a malformed one or
     * one whose star table does not parse is refused and logged; the standard's findings are logged.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeEdition")
    void addEdition(Edition edition, ServiceReference<Edition> reference) {
        String version = reference.getBundle().getVersion().toString();
        try {
            Editions.Installed checked = Editions.check(edition, version);
            if (edition.defaults().starTable().isPresent()) {
                EditionTables.parse(edition);
            }
            editions.install(edition, version);
            for (ServiceStandard.Finding f : checked.findings()) {
                if (f.breach()) {
                    LOG.warn("edition {} {}: national service standard {}", checked.id(), version, f);
                } else {
                    LOG.info("edition {} {}: national service standard {}", checked.id(), version, f);
                }
            }
            LOG.info("edition {} {} installed: {} / {}", checked.id(), version, edition.brand().service().ja(), edition.brand().company().ja());
        } catch (RuntimeException e) {
            LOG.error("edition from bundle {} {} not installed: {}", reference.getBundle().getSymbolicName(), version, e.getMessage());
            return;
        }
        forgetGraders();
    }

    void removeEdition(Edition edition) {
        editions.remove(edition);
        forgetGraders();
    }

    private void forgetGraders() {
        Monitor m = monitor;
        if (m != null) {
            m.grading().forget(); // graders cached with the old table are rebuilt with the edition's
        }
    }

    @Deactivate
    void stop() {
        for (ServiceRegistration<?> r : checks) {
            unregister(r);
        }
        unregister(registration);
        gauges.close();
        jobs.close();
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping the bundle
        }
    }
}
