package org.omamori.api.pipeline;

import java.util.List;

import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.InspectionRequest;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs every installed engine whose security functions apply to a request and merges their
 * verdicts (block over neutralise over pass). An engine that fails or runs out of time never
 * fails the request: it is recorded as an engine error and the configured failure policy applies.
 */
@ProviderType
public interface Pipeline {

    /** Inspects a request on its facts alone (no bodies), e.g. a DNS query or a URL check. */
    PipelineResult inspect(InspectionRequest request);

    /** Starts an inspection whose bodies are streamed in; close it when the exchange ends. */
    StreamingInspection open(InspectionRequest request);

    /** The engines in force now. */
    List<EngineDescriptor> engines();
}
