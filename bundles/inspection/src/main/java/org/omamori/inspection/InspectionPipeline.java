package org.omamori.inspection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.metrics.Counter;
import org.omamori.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline: holds the engine snapshot and starts inspections on it. Engines come and go
 * through {@link #addEngine} and {@link #removeEngine}; the DS component calls them from its
 * dynamic reference, tests call them directly.
 */
public final class InspectionPipeline implements Pipeline, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InspectionPipeline.class);

    private final AtomicReference<EngineSet> engines = new AtomicReference<>(EngineSet.EMPTY);
    private final Watchdog watchdog;
    private volatile PipelineSettings settings;
    private final Meters meters;
    private final Counter inspected;
    private final Counter notInspected;
    private volatile BodyDecoders decoders = BodyDecoders.STANDARD;

    /** A pipeline counting on the runtime's meters ({@link Meters#shared()}). */
    public InspectionPipeline(PipelineSettings settings) {
        this(settings, Meters.shared());
    }

    public InspectionPipeline(PipelineSettings settings, Meters meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.watchdog = new Watchdog(settings.engineBudget().toNanos());
        this.meters = Objects.requireNonNull(meters, "meters");
        String help = "Requests given to the pipeline; zones=not_inspected: the zone matrix let them pass unseen";
        this.inspected = meters.counter("omamori.inspection.requests", help, "zones", "inspected");
        this.notInspected = meters.counter("omamori.inspection.requests", help, "zones", "not_inspected");
    }

    public void settings(PipelineSettings newSettings) {
        this.settings = Objects.requireNonNull(newSettings, "settings");
        watchdog.budget(newSettings.engineBudget().toNanos());
    }

    PipelineSettings settings() {
        return settings;
    }

    Watchdog watchdog() {
        return watchdog;
    }

    BodyDecoders decoders() {
        return decoders;
    }

    /** For tests: the decoders bodies are decoded with (e.g. one that counts). */
    void decoders(BodyDecoders decoders) {
        this.decoders = Objects.requireNonNull(decoders, "decoders");
    }

    /** Puts an engine in force: inspections that start from now on use it. */
    public void addEngine(Engine engine) {
        EngineDescriptor descriptor = engine.descriptor();
        engines.updateAndGet(set -> set.with(new EngineSlot(engine, descriptor, new EngineMeters(meters, descriptor))));
        LOG.info("engine {} {} in force ({})", descriptor.id(), descriptor.version(), descriptor.functions());
    }

    /**
     * Takes an engine out of force and waits until its last in-flight inspection has ended, so
     * the caller may close it afterwards. Returns false if the drain timeout passed first.
     */
    public boolean removeEngine(Engine engine) {
        EngineSet before;
        EngineSlot slot;
        do {
            before = engines.get();
            slot = before.find(engine);
            if (slot == null) {
                return true;
            }
        } while (!engines.compareAndSet(before, before.without(engine)));
        slot.retire();
        Duration drain = settings.drainTimeout();
        try {
            if (slot.awaitIdle(drain)) {
                LOG.info("engine {} {} out of force", slot.descriptor.id(), slot.descriptor.version());
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("engine {} {} still has {} inspection(s) in flight after {}; it may be closed under them",
                slot.descriptor.id(), slot.descriptor.version(), slot.inFlight(), drain);
        return false;
    }

    @Override
    public PipelineResult inspect(InspectionRequest request) {
        try (StreamingInspection inspection = open(request)) {
            return inspection.result();
        }
    }

    @Override
    public StreamingInspection open(InspectionRequest request) {
        Objects.requireNonNull(request, "request");
        if (!settings.zones().inspects(request.connection().zones())) {
            notInspected.increment();
            return new PipelineInspection(this, EngineSet.EMPTY, request);
        }
        EngineSet set;
        do {
            set = engines.get();
        } while (!set.tryAcquireAll());
        inspected.increment();
        return new PipelineInspection(this, set, request);
    }

    @Override
    public List<EngineDescriptor> engines() {
        List<EngineDescriptor> out = new ArrayList<>();
        for (EngineSlot slot : engines.get().slots()) {
            out.add(slot.descriptor);
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        watchdog.close();
    }
}
