package org.omamori.inspection;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's inspection across the engines of one snapshot. Engines are called one after
 * the other on the caller's thread, each under the watchdog's budget.
 */
final class PipelineInspection implements StreamingInspection {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineInspection.class);

    /** One step of an inspection, applied to one engine. */
    @FunctionalInterface
    private interface Step {
        Verdict apply(EngineRun run) throws Exception;
    }

    private final InspectionPipeline pipeline;
    private final EngineRun[] runs;
    private boolean closed;

    PipelineInspection(InspectionPipeline pipeline, EngineSet set, InspectionRequest request) {
        this.pipeline = pipeline;
        List<EngineSlot> slots = set.slots();
        int applicable = 0;
        EngineRun[] all = new EngineRun[slots.size()];
        for (EngineSlot slot : slots) {
            if (applies(slot, request)) {
                all[applicable++] = new EngineRun(slot);
            } else {
                slot.release();
            }
        }
        this.runs = applicable == all.length ? all : java.util.Arrays.copyOf(all, applicable);
        callAll(run -> {
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
        List<EngineResult> results = new ArrayList<>(runs.length);
        for (EngineRun run : runs) {
            results.add(new EngineResult(run.slot.descriptor, run.outcome, run.verdict, run.error,
                    Duration.ofNanos(run.nanos)));
            if (run.verdict.outranks(merged)) {
                merged = run.verdict;
            }
        }
        return new PipelineResult(merged, results);
    }

    @Override
    public PipelineResult headers(Direction direction, List<Header> headers) {
        ensureOpen();
        List<Header> fixed = List.copyOf(headers);
        callAll(run -> {
            run.inspection.headers(direction, fixed);
            return run.inspection.verdict();
        });
        return result();
    }

    @Override
    public PipelineResult body(Direction direction, ByteBuffer chunk) {
        ensureOpen();
        callAll(run -> {
            // Each engine reads its own view, so one engine's reading cannot move another's position.
            run.inspection.body(direction, chunk.asReadOnlyBuffer());
            return run.inspection.verdict();
        });
        return result();
    }

    @Override
    public PipelineResult endOfBody(Direction direction) {
        ensureOpen();
        callAll(run -> {
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
     * Applies one step to every engine still inspecting, under the budget. An engine that
     * throws or overruns is marked failed, gets its verdict from the failure policy and no
     * further calls; an engine still stuck in an earlier overrun is not called at all.
     */
    private void callAll(Step step) {
        PipelineSettings settings = pipeline.settings();
        long budget = settings.engineBudget().toNanos();
        Watchdog watchdog = pipeline.watchdog();
        for (EngineRun run : runs) {
            if (!run.takesCalls()) {
                continue;
            }
            if (run.slot.stuck()) {
                run.fail(Outcome.TIMEOUT, "still busy with an earlier call that overran its budget", settings);
                continue;
            }
            Watchdog.Call call = watchdog.begin(run.slot, budget);
            Verdict verdict = null;
            Throwable failure = null;
            try {
                verdict = step.apply(run);
            } catch (VirtualMachineError e) {
                if (!(e instanceof StackOverflowError)) {
                    watchdog.end(call);
                    throw e; // out of memory is the JVM's problem, not this engine's
                }
                failure = e;
            } catch (Throwable e) {
                failure = e;
            }
            boolean interrupted = watchdog.end(call);
            long elapsed = System.nanoTime() - call.started;
            run.nanos += elapsed;
            if (interrupted || elapsed > budget) {
                run.fail(Outcome.TIMEOUT, "no verdict within " + settings.engineBudget().toMillis() + " ms (took "
                        + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms)", settings);
                LOG.warn("engine {} timed out: {}", run.slot.descriptor.id(), run.error);
            } else if (failure != null) {
                run.fail(Outcome.ENGINE_ERROR, failure.getClass().getSimpleName() + ": " + failure.getMessage(), settings);
                LOG.warn("engine {} failed: {}", run.slot.descriptor.id(), run.error, failure);
            } else if (verdict == null) {
                run.fail(Outcome.ENGINE_ERROR, "the engine returned no verdict", settings);
            } else {
                run.verdict = verdict;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EngineRun run : runs) {
            try {
                Inspection i = run.inspection;
                if (i != null) {
                    i.close();
                }
            } catch (RuntimeException e) {
                LOG.warn("engine {} failed to close an inspection", run.slot.descriptor.id(), e);
            } finally {
                run.slot.meters.ended(run.verdict.action(), run.nanos);
                run.slot.release();
            }
        }
    }

    /** One engine's part in this inspection. */
    private static final class EngineRun {
        final EngineSlot slot;
        Inspection inspection;
        Verdict verdict = Verdict.clean();
        Outcome outcome = Outcome.DECIDED;
        String error = "";
        long nanos;

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
            slot.meters.failed(how, settings.failurePolicy());
        }
    }
}
