package org.omamori.inspection;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request's inspection across the engines of one snapshot. */
final class PipelineInspection implements StreamingInspection {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineInspection.class);

    private final InspectionPipeline pipeline;
    private final List<EngineRun> runs;
    private boolean closed;

    PipelineInspection(InspectionPipeline pipeline, EngineSet set, InspectionRequest request) {
        this.pipeline = pipeline;
        List<EngineRun> applicable = new ArrayList<>(set.slots().size());
        for (EngineSlot slot : set.slots()) {
            if (applies(slot, request)) {
                applicable.add(new EngineRun(slot));
            } else {
                slot.release();
            }
        }
        this.runs = List.copyOf(applicable);
        callAll(run -> () -> {
            Inspection inspection = run.slot.engine.inspect(request);
            if (inspection == null) {
                throw new IllegalStateException("inspect() returned null");
            }
            run.inspection = inspection;
            return inspection.verdict();
        });
    }

    private static boolean applies(EngineSlot slot, InspectionRequest request) {
        for (var function : slot.descriptor.functions()) {
            if (request.wants(function)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public PipelineResult result() {
        Verdict merged = Verdict.clean();
        List<EngineResult> results = new ArrayList<>(runs.size());
        for (EngineRun run : runs) {
            results.add(new EngineResult(run.slot.descriptor, run.outcome, run.verdict, run.error,
                    Duration.ofNanos(run.nanos)));
            if (stronger(run.verdict, merged)) {
                merged = run.verdict;
            }
        }
        return new PipelineResult(merged, results);
    }

    /** Block over neutralise over pass; among equal actions the higher level; a finding over none. */
    private static boolean stronger(Verdict candidate, Verdict best) {
        int byAction = candidate.action().compareTo(best.action());
        if (byAction != 0) {
            return byAction > 0;
        }
        Optional<Finding> c = candidate.finding();
        Optional<Finding> b = best.finding();
        if (c.isEmpty()) {
            return false;
        }
        return b.isEmpty() || c.get().level().compareTo(b.get().level()) > 0;
    }

    @Override
    public PipelineResult body(Direction direction, ByteBuffer chunk) {
        ensureOpen();
        callAll(run -> () -> {
            // Each engine reads its own view, so one engine's reading cannot move another's position.
            run.inspection.body(direction, chunk.asReadOnlyBuffer());
            return run.inspection.verdict();
        });
        return result();
    }

    @Override
    public PipelineResult endOfBody(Direction direction) {
        ensureOpen();
        callAll(run -> () -> {
            run.inspection.endOfBody(direction);
            return run.inspection.verdict();
        });
        return result();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("inspection already closed");
        }
    }

    /**
     * Runs one call on every engine still inspecting, all at once, each under the budget. An
     * engine that throws or overruns is marked failed and gets no further calls.
     */
    private void callAll(Function<EngineRun, Supplier<Verdict>> call) {
        PipelineSettings settings = pipeline.settings();
        List<CompletableFuture<Verdict>> futures = new ArrayList<>(runs.size());
        long started = System.nanoTime();
        for (EngineRun run : runs) {
            if (run.takesCalls()) {
                Supplier<Verdict> work = call.apply(run);
                futures.add(CompletableFuture.supplyAsync(() -> {
                    long t0 = System.nanoTime();
                    try {
                        return work.get();
                    } finally {
                        run.lastCallNanos = System.nanoTime() - t0;
                    }
                }, pipeline.calls()));
            } else {
                futures.add(null);
            }
        }
        long deadline = started + settings.engineBudget().toNanos();
        for (int i = 0; i < runs.size(); i++) {
            CompletableFuture<Verdict> future = futures.get(i);
            if (future == null) {
                continue;
            }
            EngineRun run = runs.get(i);
            try {
                run.verdict = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                run.fail(Outcome.ENGINE_ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage(), settings);
                LOG.warn("engine {} failed: {}", run.slot.descriptor.id(), run.error, cause);
            } catch (TimeoutException e) {
                run.pending = future;
                run.fail(Outcome.TIMEOUT, "no verdict within " + settings.engineBudget().toMillis() + " ms", settings);
                LOG.warn("engine {} timed out: {}", run.slot.descriptor.id(), run.error);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.fail(Outcome.ENGINE_ERROR, "interrupted while waiting for the engine", settings);
            }
            run.nanos += run.outcome == Outcome.TIMEOUT ? settings.engineBudget().toNanos() : run.lastCallNanos;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EngineRun run : runs) {
            CompletableFuture<Verdict> pending = run.pending;
            if (pending != null && !pending.isDone()) {
                // Close only after the stuck call returns: an inspection is used by one thread at a time.
                pending.whenComplete((verdict, error) -> run.finish());
            } else {
                run.finish();
            }
        }
    }

    /** One engine's part in this inspection. */
    private static final class EngineRun {
        final EngineSlot slot;
        volatile Inspection inspection;
        Verdict verdict = Verdict.clean();
        Outcome outcome = Outcome.DECIDED;
        String error = "";
        long nanos;
        volatile long lastCallNanos;
        volatile CompletableFuture<Verdict> pending;
        private final AtomicBoolean finished = new AtomicBoolean();

        EngineRun(EngineSlot slot) {
            this.slot = slot;
        }

        boolean takesCalls() {
            // A blocked request needs no more of this engine's time; a failed engine gets no more calls.
            return outcome == Outcome.DECIDED && verdict.action() != Action.BLOCK;
        }

        void fail(Outcome how, String why, PipelineSettings settings) {
            outcome = how;
            error = why;
            verdict = settings.failurePolicy().verdictFor(slot.descriptor.id(), why);
        }

        void finish() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                Inspection i = inspection;
                if (i != null) {
                    i.close();
                }
            } catch (RuntimeException e) {
                LOG.warn("engine {} failed to close an inspection", slot.descriptor.id(), e);
            } finally {
                slot.release();
            }
        }
    }
}
