package org.omamori.store.component;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.omamori.store.EventLog;
import org.omamori.store.EventPartitions;
import org.omamori.store.Fleet;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.Tenants;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link Store} (configuration {@value #PID}) and registers it and its services:
 * Tenants, EventLog, Fleet, EventPartitions. A configuration change re-opens it (the services
 * go away and come back). When the database cannot be opened, nothing is registered and the
 * error says what to fix; the cloud API answers 503 meanwhile.
 */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.omamori.store.Store", uses = Store.class)
@Component(service = {}, immediate = true, configurationPid = StoreComponent.PID)
public final class StoreComponent {

    public static final String PID = "org.omamori.store";
    public static final String HOME_PROPERTY = "omamori.home";

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);

    private final Store store;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public StoreComponent(BundleContext context, StoreConfig config) {
        String home = context.getProperty(HOME_PROPERTY);
        StoreSettings settings = settings(config, Path.of(home == null ? "" : home));
        Store opened;
        try {
            opened = Store.open(settings, Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.error("store not started: {}; fix configuration {}", e.getMessage(), PID);
            throw e;
        }
        this.store = opened;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("database", store.database());
        // The IngestStore is the monitor's to register: ingest grades in its transaction (docs/monitor.md).
        registrations.add(context.registerService(Store.class, store, properties));
        registrations.add(context.registerService(Tenants.class, store.tenants(), properties));
        registrations.add(context.registerService(EventLog.class, store.events(), properties));
        registrations.add(context.registerService(Fleet.class, store.fleet(), properties));
        registrations.add(context.registerService(EventPartitions.class, store.partitions(), properties));
        registrations.add(context.registerService(org.omamori.store.DefinitionPackages.class, store.definitionPackages(), properties));
        registrations.add(context.registerService(org.omamori.store.ApplianceSettings.class, store.applianceSettings(), properties));
    }

    static StoreSettings settings(StoreConfig c, Path home) {
        String url = c.jdbcUrl().trim();
        if (url.isEmpty()) {
            url = StoreSettings.defaultJdbcUrl(home);
        }
        return new StoreSettings(url, c.user(), c._password(), c.poolSize());
    }

    @Deactivate
    void stop() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping the bundle
            }
        }
        registrations.clear();
        store.close();
    }
}
