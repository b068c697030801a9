package org.omamori.itest.faulty;

import java.util.Set;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.osgi.service.component.annotations.Component;

/** An engine that fails on every request: the pipeline must survive it. */
@Component(service = Engine.class)
public final class FaultyEngine implements Engine {

    private static final EngineDescriptor DESCRIPTOR = new EngineDescriptor("faulty", "0.0.1", Set.of(SecurityFunction.IPS));

    @Override
    public EngineDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        throw new IllegalStateException("this engine always fails");
    }
}
