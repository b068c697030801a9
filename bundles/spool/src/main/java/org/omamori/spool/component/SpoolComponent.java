package org.omamori.spool.component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.osgi.annotation.bundle.Capability;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's spool as its {@link EventSink} service (configuration {@value #SPOOL_PID}), and
 * as a {@link Spool} service for the uplink. The spool lives as long as the component; a new bound
 * applies at once, so publishers never lose the sink. Application identifications are folded per
 * window before the spool ({@link ApplicationTally}); on deactivation their counts are written first.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.omamori.spool.Spool", uses = Spool.class)
@Component(service = EventSink.class, immediate = true, configurationPid = SpoolComponent.SPOOL_PID)
public final class SpoolComponent implements EventSink {

    public static final String SPOOL_PID = "org.omamori.spool";
    /** Framework property: the directory relative configured paths are resolved against. */
    public static final String HOME_PROPERTY = "omamori.home";

    private static final Logger LOG = LoggerFactory.getLogger(SpoolComponent.class);

    private final Spool spool;
    private final ApplicationTally applications;
    private final ServiceRegistration<Spool> registration;
    private final SpoolMeters meters;
    private final ServiceRegistration<HealthCheck> health;

    @Activate
    public SpoolComponent(BundleContext context, SpoolConfig config, @Reference EventFactory events) throws IOException {
        SpoolSettings settings = new SpoolSettings(home(context).resolve(config.directory()), config.maxBytes(),
                config.segmentBytes(), Duration.ofMillis(config.syncIntervalMillis()));
        Duration window = applicationWindow(config); // checked before the spool opens: a bad value leaks nothing
        int maxKeys = applicationMaxKeys(config);
        spool = Spool.open(settings, events);
        applications = new ApplicationTally(spool, window, maxKeys);
        LOG.info("spool in {}: bound {} MiB, synced every {} ms", settings.directory(), settings.maxBytes() >> 20,
                settings.syncInterval().toMillis());
        registration = context.registerService(Spool.class, spool, null);
        meters = new SpoolMeters(Meters.shared(), spool);
        health = context.registerService(HealthCheck.class, meters, null);
    }

    /** The configured window, bounded as documented (0 to 3,600 s). */
    static Duration applicationWindow(SpoolConfig config) {
        int seconds = config.applicationWindowSeconds();
        if (seconds < 0 || seconds > 3600) {
            throw new IllegalArgumentException(SPOOL_PID + ": applicationWindowSeconds must be 0 to 3600: " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    static int applicationMaxKeys(SpoolConfig config) {
        int keys = config.applicationMaxKeys();
        if (keys < 16 || keys > 1_000_000) {
            throw new IllegalArgumentException(SPOOL_PID + ": applicationMaxKeys must be 16 to 1000000: " + keys);
        }
        return keys;
    }

    static Path home(BundleContext context) {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        return Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
    }

    @Modified
    void modified(SpoolConfig config) {
        spool.maxBytes(config.maxBytes());
    }

    @Override
    public void publish(List<Event> events) {
        applications.publish(events);
    }

    @Deactivate
    void deactivate() {
        health.unregister();
        meters.close();
        registration.unregister();
        applications.close(); // the held counts reach the spool before it closes
        spool.close();
    }
}
