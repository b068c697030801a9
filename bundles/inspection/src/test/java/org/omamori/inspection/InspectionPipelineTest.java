package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;

class InspectionPipelineTest {

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://www.example.jp/").build();

    private final InspectionPipeline pipeline = new InspectionPipeline(
            new PipelineSettings(Duration.ofMillis(300), FailurePolicy.OPEN, Duration.ofSeconds(5)));

    @AfterEach
    void close() {
        pipeline.close();
    }

    static Engine fixed(String id, Verdict verdict, SecurityFunction function) {
        EngineDescriptor d = new EngineDescriptor(id, "1.0", Set.of(function));
        return new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                return Inspection.decided(verdict);
            }
        };
    }

    static Finding finding(String id, Level level) {
        return new Finding(id, id, level, 100);
    }

    @Test
    void blockBeatsNeutraliseBeatsPassAndEveryEngineResultIsReturned() {
        pipeline.addEngine(fixed("a", Verdict.pass(finding("news", Level.LOW)), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(fixed("b", Verdict.neutralise(finding("eicar", Level.HIGH)), SecurityFunction.ANTIVIRUS));
        pipeline.addEngine(fixed("c", Verdict.block(finding("sqli", Level.MEDIUM)), SecurityFunction.IPS));

        PipelineResult result = pipeline.inspect(REQUEST);

        assertThat(result.verdict().action()).isEqualTo(Action.BLOCK);
        assertThat(result.verdict().finding().orElseThrow().ruleId()).isEqualTo("sqli");
        assertThat(result.results()).extracting(r -> r.engine().id()).containsExactly("a", "b", "c");
        assertThat(result.results()).allMatch(r -> r.outcome() == Outcome.DECIDED);
    }

    @Test
    void amongPassesTheHigherLevelFindingIsReported() {
        pipeline.addEngine(fixed("a", Verdict.pass(finding("news", Level.LOW)), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(fixed("b", Verdict.clean(), SecurityFunction.IPS));
        pipeline.addEngine(fixed("c", Verdict.pass(finding("odd", Level.MEDIUM)), SecurityFunction.IPS));

        assertThat(pipeline.inspect(REQUEST).verdict().finding().orElseThrow().ruleId()).isEqualTo("odd");
    }

    @Test
    void onlyEnginesServingAWantedFunctionRun() {
        pipeline.addEngine(fixed("url", Verdict.clean(), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(fixed("av", Verdict.clean(), SecurityFunction.ANTIVIRUS));

        InspectionRequest dns = InspectionRequest.dns("a.example.jp")
                .functions(Set.of(SecurityFunction.URL_FILTERING, SecurityFunction.IPS)).build();

        assertThat(pipeline.inspect(dns).results()).extracting(r -> r.engine().id()).containsExactly("url");
    }

    @Test
    void anEngineThatThrowsIsAnEngineErrorAndFailsOpenByDefault() {
        pipeline.addEngine(throwing("boom"));
        pipeline.addEngine(fixed("ok", Verdict.pass(finding("news", Level.LOW)), SecurityFunction.URL_FILTERING));

        PipelineResult result = pipeline.inspect(REQUEST);

        assertThat(result.verdict().action()).isEqualTo(Action.PASS);
        var boom = result.results().get(0);
        assertThat(boom.outcome()).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(boom.error()).contains("IllegalStateException").contains("broken on purpose");
        assertThat(boom.verdict().note()).contains("not inspected by boom");
        assertThat(result.results().get(1).outcome()).isEqualTo(Outcome.DECIDED);
    }

    @Test
    void failClosedBlocksWhenAnEngineFails() {
        pipeline.settings(new PipelineSettings(Duration.ofMillis(300), FailurePolicy.CLOSED, Duration.ofSeconds(5)));
        pipeline.addEngine(throwing("boom"));

        PipelineResult result = pipeline.inspect(REQUEST);

        assertThat(result.verdict().action()).isEqualTo(Action.BLOCK);
        assertThat(result.verdict().finding().orElseThrow().ruleId()).isEqualTo("engine-failure:boom");
    }

    @Test
    void anEngineOverItsBudgetTimesOutWithoutHoldingTheRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean closedWhileRunning = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean();
        pipeline.addEngine(new Engine() {
            final EngineDescriptor d = new EngineDescriptor("slow", "1", Set.of(SecurityFunction.IPS));

            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                running.set(true);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.set(false);
                return new Inspection() {
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    public void close() {
                        closedWhileRunning.set(running.get());
                    }
                };
            }
        });
        pipeline.addEngine(fixed("fast", Verdict.block(finding("x", Level.LOW)), SecurityFunction.URL_FILTERING));

        long t0 = System.nanoTime();
        PipelineResult result = pipeline.inspect(REQUEST);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(tookMs).isLessThan(2000);
        assertThat(result.results().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.results().get(0).error()).contains("no verdict within 300 ms");
        assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt does not leak to the caller").isFalse();
        assertThat(result.verdict().action()).isEqualTo(Action.BLOCK);
        release.countDown();
        assertThat(closedWhileRunning).isFalse();
    }

    @Test
    void anEngineStuckBeyondItsBudgetGetsNoNewCallsUntilItReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        pipeline.addEngine(new Engine() {
            final EngineDescriptor d = new EngineDescriptor("spinner", "1", Set.of(SecurityFunction.IPS));

            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                calls.incrementAndGet();
                entered.countDown();
                while (spin.get()) {
                    Thread.onSpinWait(); // ignores interrupts: the worst kind of engine
                }
                return Inspection.decided(Verdict.clean());
            }
        });
        AtomicReference<PipelineResult> first = new AtomicReference<>();
        Thread stuck = Thread.ofPlatform().start(() -> first.set(pipeline.inspect(REQUEST)));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(600); // past the 300 ms budget: the watchdog has marked the engine stuck

        long t0 = System.nanoTime();
        PipelineResult second = pipeline.inspect(REQUEST);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(200);
        assertThat(second.results().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(second.results().get(0).error()).contains("still busy");
        assertThat(calls).as("no second call into the stuck engine").hasValue(1);

        spin.set(false);
        stuck.join(5000);
        assertThat(first.get().results().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(pipeline.inspect(REQUEST).results().get(0).outcome()).as("back once it returned").isEqualTo(Outcome.DECIDED);
    }

    @Test
    void bodiesAreStreamedInOrderAndEachEngineReadsItsOwnView() {
        List<String> seenA = Collections.synchronizedList(new ArrayList<>());
        List<String> seenB = Collections.synchronizedList(new ArrayList<>());
        pipeline.addEngine(recording("a", seenA));
        pipeline.addEngine(recording("b", seenB));

        try (StreamingInspection inspection = pipeline.open(REQUEST)) {
            inspection.headers(Direction.RESPONSE, List.of(new org.omamori.api.engine.Header("Content-Type", "text/plain")));
            inspection.body(Direction.RESPONSE, ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
            PipelineResult r = inspection.body(Direction.RESPONSE, ByteBuffer.wrap("EVIL world".getBytes(StandardCharsets.US_ASCII)));
            assertThat(r.verdict().action()).isEqualTo(Action.NEUTRALISE);
            inspection.endOfBody(Direction.RESPONSE);
        }
        assertThat(seenA).containsExactly("headers:RESPONSE:1", "hello ", "EVIL world", "end:RESPONSE", "closed");
        assertThat(seenB).containsExactly("headers:RESPONSE:1", "hello ", "EVIL world", "end:RESPONSE", "closed");
    }

    @Test
    void theVerdictCallsMakeTheSameEngineCallsAndGiveTheMergedVerdictOfTheResult() {
        List<String> seenA = Collections.synchronizedList(new ArrayList<>());
        List<String> seenB = Collections.synchronizedList(new ArrayList<>());
        pipeline.addEngine(recording("a", seenA));
        pipeline.addEngine(fixed("u", Verdict.pass(finding("news", Level.LOW)), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(recording("b", seenB));

        try (StreamingInspection inspection = pipeline.open(REQUEST)) {
            assertThat(inspection.verdict()).isEqualTo(inspection.result().verdict()).isEqualTo(Verdict.pass(finding("news", Level.LOW)));
            assertThat(inspection.endOfBodyVerdict(Direction.REQUEST)).isEqualTo(inspection.result().verdict());
            Verdict afterHead = inspection.headersVerdict(Direction.RESPONSE,
                    List.of(new org.omamori.api.engine.Header("Content-Type", "text/plain")), ByteBuffer.allocate(0));
            assertThat(afterHead).isEqualTo(inspection.result().verdict());
            assertThat(inspection.bodyVerdict(Direction.RESPONSE, ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII))).action())
                    .isEqualTo(Action.PASS);
            Verdict evil = inspection.bodyVerdict(Direction.RESPONSE, ByteBuffer.wrap("EVIL world".getBytes(StandardCharsets.US_ASCII)));
            assertThat(evil.action()).isEqualTo(Action.NEUTRALISE);
            assertThat(inspection.endOfBodyVerdict(Direction.RESPONSE)).isEqualTo(evil).isEqualTo(inspection.result().verdict());
            assertThat(inspection.result().results()).hasSize(3);
        }
        assertThat(seenA).containsExactly("end:REQUEST", "headers:RESPONSE:1", "hello ", "EVIL world", "end:RESPONSE", "closed");
        assertThat(seenB).isEqualTo(seenA);
    }

    @Test
    void theResponseHeadAsSentReachesEnginesThatReadItEachInItsOwnViewAndOlderEnginesGetTheHeaders() {
        List<String> old = Collections.synchronizedList(new ArrayList<>());
        List<String> heads = Collections.synchronizedList(new ArrayList<>());
        pipeline.addEngine(recording("old", old)); // overrides only headers(direction, headers), as engines of API 1.4
        pipeline.addEngine(headReading("a", heads));
        pipeline.addEngine(headReading("b", heads));
        byte[] wire = "junk HTTP/1.1 200 OK\r\nServer:   x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer head = ByteBuffer.wrap(wire);
        head.position(5); // the intake's position: the head starts there

        try (StreamingInspection inspection = pipeline.open(REQUEST)) {
            inspection.headers(Direction.RESPONSE, List.of(new org.omamori.api.engine.Header("Server", "x")), head);
            inspection.headers(Direction.REQUEST, List.of()); // an intake of API 1.1: no head
        }
        assertThat(old).containsExactly("headers:RESPONSE:1", "headers:REQUEST:0", "closed");
        assertThat(heads).containsExactly("a:HTTP/1.1 200 OK\r\nServer:   x\r\n\r\n", "b:HTTP/1.1 200 OK\r\nServer:   x\r\n\r\n",
                "a:", "b:");
        assertThat(head.position()).as("the intake's buffer is not moved").isEqualTo(5);
    }

    /** An engine of API 1.5 that reads the head it is given (relative gets: it moves only its own view). */
    private static Engine headReading(String id, List<String> seen) {
        EngineDescriptor d = new EngineDescriptor(id, "1.0", Set.of(SecurityFunction.IPS));
        return new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                return new Inspection() {
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    public void headers(Direction direction, List<org.omamori.api.engine.Header> headers, ByteBuffer head) {
                        assertThat(head.isReadOnly()).isTrue();
                        byte[] bytes = new byte[head.remaining()];
                        head.get(bytes);
                        seen.add(id + ":" + new String(bytes, StandardCharsets.ISO_8859_1));
                    }
                };
            }
        };
    }

    @Test
    void removingAnEngineWaitsForItsInFlightInspectionsThenNewInspectionsGoWithoutIt() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Engine engine = recording("rec", seen);
        pipeline.addEngine(engine);
        StreamingInspection inFlight = pipeline.open(REQUEST);

        AtomicBoolean removed = new AtomicBoolean();
        Thread remover = Thread.ofPlatform().start(() -> removed.set(pipeline.removeEngine(engine)));
        Thread.sleep(200);
        assertThat(remover.isAlive()).as("remove waits for the in-flight inspection").isTrue();
        assertThat(pipeline.inspect(REQUEST).results()).as("new inspections no longer use it").isEmpty();

        // The in-flight inspection finishes on its snapshot.
        inFlight.body(Direction.REQUEST, ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII)));
        inFlight.close();
        remover.join(5000);
        assertThat(removed).isTrue();
        assertThat(seen).containsExactly("late", "closed");
    }

    @Test
    void underConcurrentSwapsNoInspectionFailsAndNoRemovedEngineIsUsedAfterItsRemoval() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger usedAfterClose = new AtomicInteger();
        AtomicLong inspections = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (StreamingInspection i = pipeline.open(REQUEST)) {
                        i.body(Direction.RESPONSE, ByteBuffer.wrap(new byte[] {1, 2, 3}));
                        if (i.result().results().stream().anyMatch(r -> r.failed())) {
                            failures.incrementAndGet();
                        }
                        inspections.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (int round = 0; round < 200; round++) {
            ClosableEngine e = new ClosableEngine("swap", usedAfterClose);
            pipeline.addEngine(e);
            Thread.sleep(1);
            assertThat(pipeline.removeEngine(e)).isTrue();
            e.closed.set(true); // what DS does after unbind returns
        }
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        assertThat(inspections.get()).isGreaterThan(200);
        assertThat(failures).hasValue(0);
        assertThat(usedAfterClose).hasValue(0);
    }

    private static Engine throwing(String id) {
        EngineDescriptor d = new EngineDescriptor(id, "1.0", Set.of(SecurityFunction.IPS));
        return new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                throw new IllegalStateException("broken on purpose");
            }
        };
    }

    private static Engine recording(String id, List<String> seen) {
        EngineDescriptor d = new EngineDescriptor(id, "1.0", Set.of(SecurityFunction.ANTIVIRUS));
        return new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                return new Inspection() {
                    boolean evil;

                    public Verdict verdict() {
                        return evil ? Verdict.neutralise(finding("evil", Level.HIGH)) : Verdict.clean();
                    }

                    public void body(Direction direction, ByteBuffer chunk) {
                        byte[] bytes = new byte[chunk.remaining()];
                        chunk.get(bytes);
                        String text = new String(bytes, StandardCharsets.US_ASCII);
                        evil |= text.contains("EVIL");
                        seen.add(text);
                    }

                    public void endOfBody(Direction direction) {
                        seen.add("end:" + direction);
                    }

                    public void headers(Direction direction, List<org.omamori.api.engine.Header> headers) {
                        seen.add("headers:" + direction + ":" + headers.size());
                    }

                    public void close() {
                        seen.add("closed");
                    }
                };
            }
        };
    }

    /** An engine that counts any use after it was closed. */
    private static final class ClosableEngine implements Engine {
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger usedAfterClose;
        final EngineDescriptor d;

        ClosableEngine(String id, AtomicInteger usedAfterClose) {
            this.usedAfterClose = usedAfterClose;
            this.d = new EngineDescriptor(id, "1.0", Set.of(SecurityFunction.URL_FILTERING));
        }

        public EngineDescriptor descriptor() {
            return d;
        }

        public Inspection inspect(InspectionRequest request) {
            check();
            return new Inspection() {
                public Verdict verdict() {
                    check();
                    return Verdict.clean();
                }

                public void body(Direction direction, ByteBuffer chunk) {
                    check();
                }

                public void close() {
                    check();
                }
            };
        }

        void check() {
            if (closed.get()) {
                usedAfterClose.incrementAndGet();
            }
        }
    }

    @Test
    void inspectionsTakeTheWatchdogsPooledCallsAndBeyondThePoolAreWatchedAsWell() throws Exception {
        AtomicBoolean slow = new AtomicBoolean();
        pipeline.addEngine(new Engine() {
            final EngineDescriptor d = new EngineDescriptor("sometimes-slow", "1", Set.of(SecurityFunction.URL_FILTERING));

            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                if (slow.get()) {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Inspection.decided(Verdict.clean());
            }
        });
        // one inspection at a time: a pooled call, nothing added to the watched set
        for (int i = 0; i < 1_000; i++) {
            try (StreamingInspection open = pipeline.open(REQUEST)) {
                assertThat(pipeline.watchdog().ownCalls()).isZero();
                assertThat(open.result().verdict().action()).isEqualTo(Action.PASS);
            }
        }
        // more at once than the places one thread looks at: the others get calls of their own
        List<StreamingInspection> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            held.add(pipeline.open(REQUEST));
        }
        assertThat(pipeline.watchdog().ownCalls()).isGreaterThanOrEqualTo(90);
        slow.set(true); // and such a call still has its overrun cut at the budget
        long t0 = System.nanoTime();
        PipelineResult late = pipeline.inspect(REQUEST);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
        assertThat(late.results().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        held.forEach(StreamingInspection::close);
        assertThat(pipeline.watchdog().ownCalls()).isZero();
        // a pooled call that was used before still has an overrun cut
        t0 = System.nanoTime();
        assertThat(pipeline.inspect(REQUEST).results().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
        assertThat(pipeline.watchdog().ownCalls()).isZero();
    }
}
