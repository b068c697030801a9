package org.omamori.inspection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.BodyDecoder;
import org.omamori.http.BodyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request's inspection across the engines of one snapshot. Engines are called one after
 * the other on the caller's thread, each under the watchdog's budget. Each body is decoded once
 * ({@link Content}) for all engines that want its content ({@link ContentInspection}); the others
 * get it as sent.
 */
final class PipelineInspection implements StreamingInspection {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineInspection.class);

    /** One step of an inspection, applied to one engine. */
    @FunctionalInterface
    private interface Step {
        Verdict apply(EngineRun run) throws Exception;
    }

    /** Which engines of a direction a step goes to. */
    private static final byte ALL = 0;
    private static final byte AS_SENT = 1;
    private static final byte CONTENT = 2;

    private static final ByteBuffer NO_HEAD = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final InspectionPipeline pipeline;
    private final InspectionRequest request;
    private final EngineRun[] runs;
    /** This inspection's engine calls, as the watchdog sees them. */
    private final Watchdog.Call calls;
    /** Per direction (request, response): its body's decoding, made when the direction starts; null until one does (a DNS query never has one). */
    private Content[] contents;
    private boolean closed;

    PipelineInspection(InspectionPipeline pipeline, EngineSet set, InspectionRequest request) {
        this.pipeline = pipeline;
        this.request = request;
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
        this.calls = pipeline.watchdog().register();
        callAll(run -> {
            Inspection inspection = run.slot.engine.inspect(request);
            if (inspection == null) {
                throw new IllegalStateException("inspect() returned null");
            }
            run.inspection = inspection;
            return inspection.verdict();
        }, Direction.REQUEST, ALL);
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
        EngineResult[] results = new EngineResult[runs.length];
        for (int i = 0; i < runs.length; i++) {
            EngineRun run = runs[i];
            results[i] = new EngineResult(run.slot.descriptor, run.outcome, run.verdict, run.error, Duration.ofNanos(run.nanos));
        }
        Verdict merged = verdict();
        // the immutable list PipelineResult keeps as it is (List.copyOf of one returns it), not an ArrayList it copies
        return new PipelineResult(merged, results.length == 1 ? List.of(results[0]) : List.of(results));
    }

    /** {@link #result()}'s verdict without the engines' results: nothing is made. */
    @Override
    public Verdict verdict() {
        Verdict merged = Verdict.clean();
        for (EngineRun run : runs) {
            if (run.verdict.outranks(merged)) {
                merged = run.verdict;
            }
        }
        return merged;
    }

    @Override
    public PipelineResult headers(Direction direction, List<Header> headers) {
        return headers(direction, headers, null);
    }

    @Override
    public PipelineResult headers(Direction direction, List<Header> headers, ByteBuffer head) {
        headersVerdict(direction, headers, head);
        return result();
    }

    @Override
    public Verdict headersVerdict(Direction direction, List<Header> headers, ByteBuffer head) {
        ensureOpen();
        List<Header> fixed = List.copyOf(headers);
        ByteBuffer sent = head == null || !head.hasRemaining() ? NO_HEAD : head.slice();
        callAll(run -> {
            // Each engine reads its own view of the head, as of a body chunk (engine API 1.5).
            run.inspection.headers(direction, fixed, sent == NO_HEAD ? NO_HEAD : sent.asReadOnlyBuffer());
            return run.inspection.verdict();
        }, direction, ALL);
        // The decoder is made when the headers come, as engines made theirs: an unknown coding is said at once.
        content(direction, fixed);
        return verdict();
    }

    @Override
    public PipelineResult body(Direction direction, ByteBuffer chunk) {
        bodyVerdict(direction, chunk);
        return result();
    }

    @Override
    public Verdict bodyVerdict(Direction direction, ByteBuffer chunk) {
        ensureOpen();
        Content content = content(direction, null);
        if (content.wanting > 0) {
            content.decode(chunk); // may turn its engines to the body as sent, this chunk included
        }
        callAll(run -> {
            // Each engine reads its own view, so one engine's reading cannot move another's position.
            run.inspection.body(direction, chunk.asReadOnlyBuffer());
            return run.inspection.verdict();
        }, direction, AS_SENT);
        return verdict();
    }

    @Override
    public PipelineResult endOfBody(Direction direction) {
        endOfBodyVerdict(direction);
        return result();
    }

    @Override
    public Verdict endOfBodyVerdict(Direction direction) {
        ensureOpen();
        Content content = contents == null ? null : contents[direction.ordinal()];
        if (content != null) {
            content.finish();
        }
        callAll(run -> {
            run.inspection.endOfBody(direction);
            return run.inspection.verdict();
        }, direction, ALL);
        return verdict();
    }

    /**
     * The decoding of a direction's body, started at its headers or first chunk: the engines that
     * want its content are asked once, and the decoder is made only if one does.
     */
    private Content content(Direction direction, List<Header> headers) {
        if (contents == null) {
            contents = new Content[2];
        }
        Content c = contents[direction.ordinal()];
        if (c == null) {
            c = new Content(direction);
            contents[direction.ordinal()] = c;
            c.start(headers != null ? headers : direction == Direction.REQUEST ? request.headers() : List.of());
        }
        return c;
    }

    /**
     * One direction's body decoded once for every engine that wants its content (decision 0008):
     * chunked framing and content codings undone by the project's strict decoder, the same decoded
     * bytes handed to each. A body that cannot be decoded goes to them as sent from the failing
     * chunk on, after they were told why.
     */
    private final class Content {
        final Direction direction;
        final int index;
        /** Engines that get this direction's content. */
        int wanting;
        /** Null when nothing is to be undone (the bytes as sent are the content) or after a failure. */
        BodyDecoder decoder;

        Content(Direction direction) {
            this.direction = direction;
            this.index = direction.ordinal();
        }

        void start(List<Header> headers) {
            for (EngineRun run : runs) {
                boolean wants = false;
                if (run.takesCalls() && run.inspection instanceof ContentInspection c) {
                    try {
                        wants = c.wantsContent(direction);
                    } catch (RuntimeException e) {
                        LOG.warn("engine {} failed to say whether it wants content", run.slot.descriptor.id(), e);
                    }
                }
                run.mode(index, wants ? CONTENT : AS_SENT);
                wanting += wants ? 1 : 0;
            }
            if (wanting == 0) {
                return;
            }
            boolean coded = false;
            for (Header h : headers) {
                coded |= h.is("Content-Encoding") || h.is("Transfer-Encoding");
            }
            if (!coded) {
                return; // nothing to undo: the bytes as sent are the content, no decoder to make
            }
            try {
                decoder = pipeline.decoders().open(headers);
                if (decoder.isIdentity()) {
                    decoder.close();
                    decoder = null;
                }
            } catch (BodyException e) {
                undecodable(e.getMessage());
            }
        }

        void decode(ByteBuffer chunk) {
            if (decoder == null) {
                deliver(chunk);
                return;
            }
            try {
                decoder.decode(chunk.duplicate(), this::deliver);
            } catch (IOException e) {
                undecodable(e.getMessage());
            }
        }

        void finish() {
            if (decoder == null) {
                return;
            }
            try {
                decoder.finish(this::deliver);
            } catch (IOException e) {
                undecodable(e.getMessage());
            } finally {
                close();
            }
        }

        private void deliver(ByteBuffer decoded) {
            callAll(run -> {
                ((ContentInspection) run.inspection).content(direction, decoded.asReadOnlyBuffer());
                return run.inspection.verdict();
            }, direction, CONTENT);
        }

        /** Tells the content engines why, then gives them the rest of this body as sent. */
        private void undecodable(String why) {
            close();
            String reason = why == null ? "undecodable" : why;
            callAll(run -> {
                ((ContentInspection) run.inspection).contentUndecodable(direction, reason);
                return run.inspection.verdict();
            }, direction, CONTENT);
            for (EngineRun run : runs) {
                if (run.mode(index) == CONTENT) {
                    run.mode(index, AS_SENT);
                }
            }
            wanting = 0;
        }

        void close() {
            if (decoder != null) {
                decoder.close();
                decoder = null;
            }
        }
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
    private void callAll(Step step, Direction direction, int which) {
        PipelineSettings settings = pipeline.settings();
        long budget = settings.engineBudget().toNanos();
        Watchdog watchdog = pipeline.watchdog();
        int index = direction.ordinal();
        for (EngineRun run : runs) {
            if (!run.takesCalls() || which != ALL && run.mode(index) != which) {
                continue;
            }
            if (run.slot.stuck()) {
                run.fail(Outcome.TIMEOUT, "still busy with an earlier call that overran its budget", settings);
                continue;
            }
            Watchdog.Call call = calls;
            watchdog.begin(call, run.slot, budget);
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
        pipeline.watchdog().unregister(calls);
        if (contents != null) {
            for (Content c : contents) {
                if (c != null) {
                    c.close();
                }
            }
        }
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
        /**
         * Per direction (a byte each, by ordinal; not an array made per run): whether the engine gets
         * the body {@link #AS_SENT} or its {@link #CONTENT} (0: not started).
         */
        private int modes;

        EngineRun(EngineSlot slot) {
            this.slot = slot;
        }

        int mode(int direction) {
            return (modes >>> (8 * direction)) & 0xFF;
        }

        void mode(int direction, int mode) {
            modes = (modes & ~(0xFF << (8 * direction))) | (mode & 0xFF) << (8 * direction);
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
