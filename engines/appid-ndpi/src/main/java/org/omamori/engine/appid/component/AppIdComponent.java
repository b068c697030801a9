package org.omamori.engine.appid.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.engine.Engine;
import org.omamori.engine.appid.AppIdEngine;
import org.omamori.engine.appid.ndpi.Ndpi;
import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the application-identification engine to the pipeline when nDPI is usable. Without
 * libndpi (or with the engine turned off) the appliance runs on without it: the log says why
 * once, the health check {@code appid} (not essential) and the gauge {@code omamori_appid_up}
 * say so for as long as it lasts. A configuration change re-creates it.
 */
@Component(service = {}, immediate = true, configurationPid = "org.omamori.engine.appid")
@Designate(ocd = AppIdConfig.class)
public final class AppIdComponent {

    private static final Logger LOG = LoggerFactory.getLogger(AppIdComponent.class);

    private final Ndpi ndpi;
    private final AppIdEngine engine;
    private final List<ServiceRegistration<?>> services = new ArrayList<>();
    private final List<Registration> meters = new ArrayList<>();

    @Activate
    public AppIdComponent(BundleContext context, AppIdConfig config) {
        Health health;
        Optional<String> problem = config.enabled() ? Ndpi.unavailable() : Optional.of("turned off (enabled=false)");
        Ndpi opened = null;
        if (problem.isEmpty()) {
            try {
                opened = Ndpi.open(config.modules());
            } catch (IllegalStateException e) {
                problem = Optional.of(e.getMessage());
            }
        }
        ndpi = opened;
        if (ndpi == null) {
            engine = null;
            String why = problem.orElseThrow();
            health = config.enabled() ? Health.degraded("application identification is off: " + why) : Health.ok();
            if (config.enabled()) {
                LOG.warn("アプリケーション識別は無効です / application identification is off: {}", why);
            } else {
                LOG.info("application identification is turned off by configuration");
            }
        } else {
            engine = new AppIdEngine(context.getBundle().getVersion().toString(), ndpi);
            health = Health.ok();
            services.add(context.registerService(Engine.class, engine, null));
            LOG.info("application identification on: nDPI {} ({}), {} modules", Ndpi.revision(), Ndpi.library(), ndpi.modules());
        }
        Health state = health;
        services.add(context.registerService(HealthCheck.class, new HealthCheck() {
            @Override
            public String name() {
                return "appid";
            }

            @Override
            public boolean essential() {
                return false; // recording applications is not protection: the appliance works without it
            }

            @Override
            public Health check() {
                return state;
            }
        }, null));
        Meters m = Meters.shared();
        AppIdEngine e = engine;
        meters.add(m.gauge("omamori.appid.up", "1 when application identification runs (nDPI loaded), else 0", () -> e == null ? 0 : 1));
        if (e != null) {
            meters.add(m.counter("omamori.appid.connections", "Connections application identification looked at, by outcome",
                    e::identified, "outcome", "identified"));
            meters.add(m.counter("omamori.appid.connections", "Connections application identification looked at, by outcome",
                    e::unknown, "outcome", "unknown"));
            meters.add(m.counter("omamori.appid.connections", "Connections application identification looked at, by outcome",
                    e::busy, "outcome", "busy"));
        }
    }

    @Deactivate
    void deactivate() {
        services.forEach(ServiceRegistration::unregister);
        meters.forEach(Registration::close);
        if (ndpi != null) {
            ndpi.close();
        }
    }
}
