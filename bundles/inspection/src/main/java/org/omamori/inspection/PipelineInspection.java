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

    /**
     * The steps of an inspection, each applied to one engine by {@link #apply}: an int and the
     * step's arguments in fields rather than a lambda, which captured them in a new object for
     * every call (about ten per exchange).
     */
    private static final int INSPECT = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;
    private static final int END_OF_BODY = 3;
    private static final int CONTENT_CHUNK = 4;
    private static final int UNDECODABLE = 5;

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
    /** Each direction's body decoding, made when the direction starts; null until one does (a DNS query never has one). */
    private Content requestContent;
    private Content responseContent;
    private boolean closed;
    /** The arguments of the step {@link #callAll} applies: set just before, read by {@link #apply} only. */
    private List<Header> stepHeaders;
    private ByteBuffer stepBuffer;
    private String stepReason;

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
        callAll(INSPECT, Direction.REQUEST, ALL);
    }

    /** Applies one step ({@link #INSPECT} ...) to one engine, with the arguments {@link #callAll}'s caller set. */
    private Verdict apply(int step, EngineRun run, Direction direction) throws Exception {
        switch (step) {
            case INSPECT -> {
                Inspection inspection = run.slot.engine.inspect(request);
                if (inspection == null) {
                    throw new IllegalStateException("inspect() returned null");
                }
                run.inspection = inspection;
            }
            // Each engine reads its own view of the head, as of a body chunk (engine API 1.5).
            case HEADERS -> run.inspection.headers(direction, stepHeaders, stepBuffer == NO_HEAD ? NO_HEAD : stepBuffer.asReadOnlyBuffer());
            // Each engine reads its own view, so one engine's reading cannot move another's position.
            case BODY -> run.inspection.body(direction, stepBuffer.asReadOnlyBuffer());
            case END_OF_BODY -> run.inspection.endOfBody(direction);
            case CONTENT_CHUNK -> ((ContentInspection) run.inspection).content(direction, stepBuffer.asReadOnlyBuffer());
            case UNDECODABLE -> ((ContentInspection) run.inspection).contentUndecodable(direction, stepReason);
            default -> throw new IllegalArgumentException("step " + step);
        }
        return run.inspection.verdict();
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

    /** {@link #result()} would make no event: checked on the runs, nothing is made. */
    @Override
    public boolean quiet() {
        for (EngineRun run : runs) {
            Verdict v = run.verdict;
            if (run.outcome != Outcome.DECIDED || v.finding().isPresent() || !v.note().isEmpty() || !v.further().isEmpty()) {
                return false;
            }
        }
        return true;
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
        // Engines read the head from index 0 (absolute gets): a buffer that is already the whole head is not sliced again.
        ByteBuffer sent = head == null || !head.hasRemaining() ? NO_HEAD
                : head.position() == 0 && head.limit() == head.capacity() ? head : head.slice();
        stepHeaders = fixed;
        stepBuffer = sent;
        callAll(HEADERS, direction, ALL);
        stepHeaders = null;
        stepBuffer = null;
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
        stepBuffer = chunk;
        callAll(BODY, direction, AS_SENT);
        stepBuffer = null;
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
        Content content = direction == Direction.REQUEST ? requestContent : responseContent;
        if (content != null) {
            content.finish();
        }
        callAll(END_OF_BODY, direction, ALL);
        return verdict();
    }

    /**
     * The decoding of a direction's body, started at its headers or first chunk: the engines that
     * want its content are asked once, and the decoder is made only if one does.
     */
    private Content content(Direction direction, List<Header> headers) {
        boolean isRequest = direction == Direction.REQUEST;
        Content c = isRequest ? requestContent : responseContent;
        if (c == null) {
            c = new Content(direction);
            if (isRequest) {
                requestContent = c;
            } else {
                responseContent = c;
            }
            c.start(headers != null ? headers : isRequest ? request.headers() : List.of());
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
            // a decoded chunk is delivered inside a body step, whose chunk stays set for the steps after it
            ByteBuffer chunk = stepBuffer;
            stepBuffer = decoded;
            callAll(CONTENT_CHUNK, direction, CONTENT);
            stepBuffer = chunk;
        }

        /** Tells the content engines why, then gives them the rest of this body as sent. */
        private void undecodable(String why) {
            close();
            String reason = why == null ? "undecodable" : why;
            stepReason = reason;
            callAll(UNDECODABLE, direction, CONTENT);
            stepReason = null;
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
    private void callAll(int step, Direction direction, int which) {
        PipelineSettings settings = pipeline.settings();
        long budget = settings.engineBudget().toNanos();
        Watchdog watchdog = pipeline.watchdog();
        int index = direction.ordinal();
        // One clock read per call and one per step: a call starts when the one before it ended (the
        // reads were 1.5 % of the proxy's CPU under load at two per call).
        long now = System.nanoTime();
        for (EngineRun run : runs) {
            if (!run.takesCalls() || which != ALL && run.mode(index) != which) {
                continue;
            }
            if (run.slot.stuck()) {
                run.fail(Outcome.TIMEOUT, "still busy with an earlier call that overran its budget", settings);
                now = System.nanoTime(); // not the next engine's time
                continue;
            }
            Watchdog.Call call = calls;
            watchdog.begin(call, run.slot, budget, now);
            Verdict verdict = null;
            Throwable failure = null;
            try {
                verdict = apply(step, run, direction);
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
            long ended = System.nanoTime();
            long elapsed = ended - call.started;
            run.nanos += elapsed;
            now = ended;
            if (interrupted || elapsed > budget) {
                run.fail(Outcome.TIMEOUT, "no verdict within " + settings.engineBudget().toMillis() + " ms (took "
                        + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms)", settings);
                LOG.warn("engine {} timed out: {}", run.slot.descriptor.id(), run.error);
                now = System.nanoTime(); // the log line is not the next engine's time
            } else if (failure != null) {
                run.fail(Outcome.ENGINE_ERROR, failure.getClass().getSimpleName() + ": " + failure.getMessage(), settings);
                LOG.warn("engine {} failed: {}", run.slot.descriptor.id(), run.error, failure);
                now = System.nanoTime();
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
        if (requestContent != null) {
            requestContent.close();
        }
        if (responseContent != null) {
            responseContent.close();
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
