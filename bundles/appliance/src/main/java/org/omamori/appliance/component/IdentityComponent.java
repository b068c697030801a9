package org.omamori.appliance.component;

import java.io.IOException;
import java.nio.file.Path;

import org.omamori.appliance.identity.ApplianceIdentity;
import org.omamori.events.EventFactory;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Offers the {@link EventFactory} that stamps this appliance's id on every event the intakes make. */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.omamori.events.EventFactory",
        uses = EventFactory.class)
@Component(configurationPid = EngineAppliance.PID, immediate = true, service = {})
public final class IdentityComponent {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private final ServiceRegistration<EventFactory> registration;

    @Activate
    public IdentityComponent(BundleContext context, ApplianceConfiguration configuration) throws IOException {
        String homeProperty = context.getProperty(EngineAppliance.HOME_PROPERTY);
        Path home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
        EventFactory factory = new EventFactory(ApplianceIdentity.load(home.resolve(configuration.stateDir()),
                configuration.applianceId()));
        LOG.info("appliance id {}", factory.appliance());
        registration = context.registerService(EventFactory.class, factory, null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
