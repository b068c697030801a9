package org.omamori.api.engine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A detection engine. Register an implementation as an OSGi service of this type and the
 * appliance's inspection pipeline runs it on every request whose security functions it serves.
 *
 * <p>Implementations must be thread-safe: {@link #inspect} is called concurrently from many
 * threads. An engine never needs a whole body in memory: bodies arrive in chunks through the
 * returned {@link Inspection}.
 */
@ConsumerType
public interface Engine {

    /** Who this engine is and what it serves; constant for the life of the service. */
    EngineDescriptor descriptor();

    /**
     * Starts inspecting one request. The facts of the request are known now; bodies, if any,
     * follow through the returned inspection. Must not block for long: the pipeline gives every
     * call a time budget and records an engine that exceeds it as failed.
     */
    Inspection inspect(InspectionRequest request);
}
