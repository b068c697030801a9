package org.omamori.engine.antispam.component;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.antispam.AntispamEngine;
import org.omamori.engine.antispam.AntispamSettings;
import org.omamori.engine.antispam.ZoneThresholds;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The antispam as an engine service. A configuration change re-creates it (DS deactivates and
 * activates again; the pipeline lets in-flight inspections finish first).
 */
@Component(service = Engine.class, configurationPid = AntispamComponent.PID)
@Designate(ocd = AntispamConfig.class)
public final class AntispamComponent implements Engine {

    public static final String PID = "org.omamori.engine.antispam";

    private final AntispamEngine engine;
    private final RspamdHealth health;
    private final ServiceRegistration<HealthCheck> healthRegistration;

    @Activate
    public AntispamComponent(BundleContext context, AntispamConfig config) {
        engine = new AntispamEngine(context.getBundle().getVersion().toString(), settings(config));
        health = new RspamdHealth(engine.rspamd(), Meters.shared(), System::nanoTime);
        healthRegistration = context.registerService(HealthCheck.class, health, null);
    }

    @Deactivate
    void deactivate() {
        healthRegistration.unregister();
        health.close();
    }

    @Override
    public EngineDescriptor descriptor() {
        return engine.descriptor();
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        return engine.inspect(request);
    }

    static AntispamSettings settings(AntispamConfig config) {
        return new AntispamSettings(new InetSocketAddress(config.rspamdHost(), config.rspamdPort()),
                Duration.ofMillis(config.timeoutMillis()), config.maxMailBytes(), config.maxReplyBytes(),
                ZoneThresholds.parse(PID + " zoneThresholds", Arrays.asList(config.zoneThresholds())));
    }
}
