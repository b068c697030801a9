package org.omamori.engine.av.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The antivirus as an engine service. A configuration change re-creates it (DS deactivates and
 * activates again; the pipeline lets in-flight scans finish first).
 */
@Component(service = Engine.class, configurationPid = "org.omamori.engine.av")
@Designate(ocd = AvConfig.class)
public final class AvComponent implements Engine {

    private final AvEngine engine;
    private final ClamdHealth health;
    private final ServiceRegistration<HealthCheck> healthRegistration;

    @Activate
    public AvComponent(BundleContext context, AvConfig config) {
        String home = context.getProperty(HOME_PROPERTY);
        engine = new AvEngine(context.getBundle().getVersion().toString(), settings(config, Path.of(home == null ? "" : home).toAbsolutePath()));
        health = new ClamdHealth(engine.clamd(), Meters.shared(), System::nanoTime);
        healthRegistration = context.registerService(HealthCheck.class, health, null);
    }

    @Deactivate
    void deactivate() {
        healthRegistration.unregister();
        health.close();
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

    /** Framework property: the appliance home that a relative clamdSocket is resolved against, as other engines' paths are. */
    static final String HOME_PROPERTY = "omamori.home";

    static AvSettings settings(AvConfig config, Path home) {
        boolean failOpen = switch (config.failurePolicy().trim().toLowerCase(Locale.ROOT)) {
            case "open" -> true;
            case "closed" -> false;
            default -> throw new IllegalArgumentException("failurePolicy must be 'open' or 'closed', not '" + config.failurePolicy() + "'");
        };
        ClamdAddress clamd = AvSettings.clamd(home, config.clamdSocket(), config.clamdHost(), config.clamdPort());
        return new AvSettings(clamd, failOpen, config.maxScanBytes(),
                Duration.ofMillis(config.scanTimeoutMillis()), config.maxConnections(), Duration.ofSeconds(config.cacheSeconds()));
    }
}
