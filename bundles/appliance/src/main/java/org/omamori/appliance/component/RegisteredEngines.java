package org.omamori.appliance.component;

import java.util.ArrayList;
import java.util.List;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.appliance.install.RunningEngine;
import org.omamori.appliance.install.RunningEngines;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines as the service registry has them: every registered {@link Engine} service with its
 * descriptor and the bundle that registered it. The pipeline serves exactly these, and unlike
 * {@code Pipeline.engines()} the registry also says which bundle each one comes from.
 */
final class RegisteredEngines implements RunningEngines {

    private static final Logger LOG = LoggerFactory.getLogger(RegisteredEngines.class);

    private final BundleContext context;

    RegisteredEngines(BundleContext context) {
        this.context = context;
    }

    @Override
    public List<RunningEngine> list() {
        List<RunningEngine> running = new ArrayList<>();
        try {
            for (ServiceReference<Engine> reference : context.getServiceReferences(Engine.class, null)) {
                Bundle bundle = reference.getBundle();
                Engine engine = bundle == null ? null : context.getService(reference);
                if (engine == null) {
                    continue; // unregistered meanwhile
                }
                try {
                    EngineDescriptor descriptor = engine.descriptor();
                    running.add(new RunningEngine(descriptor.id(), descriptor.version(),
                            descriptor.functions().stream().map(SecurityFunction::id).sorted().toList(),
                            bundle.getSymbolicName(), bundle.getVersion().toString()));
                } catch (RuntimeException e) {
                    LOG.warn("engine service from bundle {} cannot describe itself: {}", bundle.getSymbolicName(), e.toString());
                } finally {
                    context.ungetService(reference);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter was given, yet: " + e.getMessage(), e);
        }
        return running;
    }
}
