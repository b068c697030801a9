package org.omamori.inspection.component;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.inspection.FailurePolicy;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.inspection.ZoneMatrix;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Wires the pipeline into OSGi: every Engine service is bound dynamically. Unbinding blocks
 * until the engine's in-flight inspections end, and DS deactivates the engine only after the
 * unbind returns: that is what makes "closed only after its last in-flight inspection" hold.
 */
@Component(service = Pipeline.class, configurationPid = "org.omamori.inspection")
@Designate(ocd = PipelineConfig.class)
public class PipelineComponent implements Pipeline {

    private final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);

    @Activate
    @Modified
    void configure(PipelineConfig config) {
        pipeline.settings(settingsOf(config));
    }

    static PipelineSettings settingsOf(PipelineConfig config) {
        FailurePolicy policy = switch (config.failurePolicy().trim().toLowerCase(Locale.ROOT)) {
            case "open" -> FailurePolicy.OPEN;
            case "closed" -> FailurePolicy.CLOSED;
            default -> throw new IllegalArgumentException(
                    "failurePolicy must be 'open' or 'closed', not '" + config.failurePolicy() + "'");
        };
        return new PipelineSettings(Duration.ofMillis(config.engineBudgetMillis()), policy,
                Duration.ofMillis(config.drainTimeoutMillis()),
                new ZoneMatrix(config.sameZoneInspected(), config.crossZoneInspected(),
                        ZoneMatrix.pairs(config.inspectedPairs(), "inspectedPairs"),
                        ZoneMatrix.pairs(config.notInspectedPairs(), "notInspectedPairs")));
    }

    @Deactivate
    void deactivate() {
        pipeline.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(Engine engine) {
        pipeline.addEngine(engine);
    }

    void removeEngine(Engine engine) {
        pipeline.removeEngine(engine);
    }

    @Override
    public PipelineResult inspect(InspectionRequest request) {
        return pipeline.inspect(request);
    }

    @Override
    public StreamingInspection open(InspectionRequest request) {
        return pipeline.open(request);
    }

    @Override
    public List<EngineDescriptor> engines() {
        return pipeline.engines();
    }
}
