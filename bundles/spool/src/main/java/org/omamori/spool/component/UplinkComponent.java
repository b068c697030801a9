package org.omamori.spool.component;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.omamori.definitions.DefinitionVersions;
import org.omamori.events.EventFactory;
import org.omamori.spool.Spool;
import org.omamori.uplink.Uplink;
import org.omamori.uplink.UplinkSettings;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the spool to the cloud and sends the heartbeat (configuration {@value #UPLINK_PID}). Off
 * while no cloud URL is configured; a configuration change restarts it.
 */
@Component(service = {}, immediate = true, configurationPid = UplinkComponent.UPLINK_PID)
@org.osgi.service.metatype.annotations.Designate(ocd = UplinkConfig.class) // its metatype checks settings from the cloud
public final class UplinkComponent {

    public static final String UPLINK_PID = "org.omamori.uplink";

    private static final Logger LOG = LoggerFactory.getLogger(UplinkComponent.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<DefinitionVersions> definitions;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<org.omamori.uplink.SettingsListener> settingsListeners;

    private final Path home;
    private final String bundleVersion;
    private final Spool spool;
    private final EventFactory events;
    private Uplink uplink;
    private final UplinkMeters meters = new UplinkMeters(Meters.shared(), Clock.systemUTC());
    private final ServiceRegistration<HealthCheck> health;

    @Activate
    public UplinkComponent(BundleContext context, UplinkConfig config, @Reference Spool spool, @Reference EventFactory events) {
        this.home = SpoolComponent.home(context);
        // The runtime package in force (the launcher says), else this bundle's version: what the cloud sees as firmware.
        String runtime = context.getProperty("omamori.runtime.version");
        this.bundleVersion = runtime != null && !runtime.equals("shipped") ? runtime : context.getBundle().getVersion().toString();
        this.spool = spool;
        this.events = events;
        start(config);
        health = context.registerService(HealthCheck.class, meters, null);
    }

    @Modified
    void modified(UplinkConfig config) {
        stop();
        start(config);
    }

    private void start(UplinkConfig c) {
        Duration heartbeat = Duration.ofSeconds(Math.max(1, c.heartbeatSeconds()));
        if (c.cloudUrl().isBlank()) {
            meters.running(null, heartbeat, "off: no cloudUrl in configuration " + UPLINK_PID + " (events stay in the spool)");
            LOG.info("uplink off: no cloudUrl in configuration {}; events stay in the spool", UPLINK_PID);
            return;
        }
        try {
            UplinkSettings settings = new UplinkSettings(URI.create(c.cloudUrl().trim()), events.appliance(), c._activationCode().trim(),
                    c.trustedCertificates().isBlank() ? Optional.empty() : Optional.of(home.resolve(c.trustedCertificates().trim())),
                    home.resolve(c.credentials()), Duration.ofSeconds(c.heartbeatSeconds()), c.batchEvents(), c.batchBytes(),
                    Duration.ofMillis(c.backoffBaseMillis()), Duration.ofMillis(c.backoffCapMillis()),
                    Duration.ofSeconds(c.requestTimeoutSeconds()), c.firmwareVersion().isBlank() ? bundleVersion : c.firmwareVersion());
            uplink = Uplink.start(settings, spool, this::definitionVersions, kinds -> {
                List<DefinitionVersions> current = definitions;
                if (current != null) {
                    current.forEach(d -> d.newerServed(kinds));
                }
            }, version -> {
                List<org.omamori.uplink.SettingsListener> current = settingsListeners;
                if (current != null) {
                    current.forEach(l -> l.newerSettings(version));
                }
            });
            meters.running(uplink, heartbeat, "");
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            meters.running(null, heartbeat, "not started: " + e.getMessage() + "; fix configuration " + UPLINK_PID);
            LOG.error("uplink not started: {}; fix configuration {} (events stay in the spool)", e.getMessage(), UPLINK_PID);
        }
    }

    private Map<String, String> definitionVersions() {
        Map<String, String> all = new TreeMap<>();
        List<DefinitionVersions> current = definitions;
        if (current != null) {
            for (DefinitionVersions d : current) {
                all.putAll(d.versions());
            }
        }
        return all;
    }

    private void stop() {
        if (uplink != null) {
            uplink.close();
            uplink = null;
        }
    }

    @Deactivate
    void deactivate() {
        health.unregister();
        meters.close();
        stop();
    }
}
