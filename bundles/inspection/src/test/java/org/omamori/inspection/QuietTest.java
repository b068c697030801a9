package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.inspection.InspectionPipelineTest.finding;
import static org.omamori.inspection.InspectionPipelineTest.fixed;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;

/**
 * {@code StreamingInspection.quiet()} (pipeline API 1.4), which lets the web proxy skip making the
 * result of a clean exchange: the pipeline's answer, checked on its runs, is the one the API's
 * default reads from {@code result()}, for each kind of engine result that becomes an event.
 */
class QuietTest {

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://www.example.jp/").build();

    private final InspectionPipeline pipeline = new InspectionPipeline(
            new PipelineSettings(Duration.ofMillis(300), FailurePolicy.OPEN, Duration.ofSeconds(5)));

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void cleanEnginesAreQuiet() {
        pipeline.addEngine(fixed("url", Verdict.clean(), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(fixed("ips", Verdict.clean(), SecurityFunction.IPS));

        assertQuiet(true);
    }

    @Test
    void aPassWithAFindingIsNotQuiet() {
        pipeline.addEngine(fixed("url", Verdict.clean(), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(fixed("ips", Verdict.pass(finding("alert", Level.LOW)), SecurityFunction.IPS));

        assertQuiet(false);
    }

    @Test
    void aNoteIsNotQuiet() {
        pipeline.addEngine(fixed("av", Verdict.clean().withNote("not scanned: too large"), SecurityFunction.ANTIVIRUS));

        assertQuiet(false);
    }

    @Test
    void furtherVerdictsAreNotQuiet() {
        Verdict further = Verdict.pass(finding("second", Level.LOW));
        pipeline.addEngine(fixed("ips", new Verdict(Action.PASS, java.util.Optional.empty(), "", List.of(further)), SecurityFunction.IPS));

        assertQuiet(false);
    }

    @Test
    void aFailedEngineIsNotQuietEvenWhenItsPolicyPasses() {
        EngineDescriptor d = new EngineDescriptor("boom", "1.0", Set.of(SecurityFunction.IPS));
        pipeline.addEngine(new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                throw new IllegalStateException("broken on purpose");
            }
        });

        assertQuiet(false);
    }

    @Test
    void aFindingLateInTheExchangeEndsTheQuiet() {
        EngineDescriptor d = new EngineDescriptor("late", "1.0", Set.of(SecurityFunction.IPS));
        pipeline.addEngine(new Engine() {
            public EngineDescriptor descriptor() {
                return d;
            }

            public Inspection inspect(InspectionRequest request) {
                return new Inspection() {
                    boolean seen;

                    public Verdict verdict() {
                        return seen ? Verdict.pass(finding("response", Level.LOW)) : Verdict.clean();
                    }

                    public void headers(Direction direction, List<Header> headers) {
                        seen = true;
                    }
                };
            }
        });
        try (StreamingInspection inspection = pipeline.open(REQUEST)) {
            assertThat(inspection.quiet()).isTrue();
            inspection.headersVerdict(Direction.RESPONSE, List.of(Header.statusLine("HTTP/1.1 200 OK")), ByteBuffer.allocate(0));
            assertThat(inspection.quiet()).isFalse().isEqualTo(byDefault(inspection));
        }
    }

    /** The pipeline's quiet() and the API's default on the same inspection agree, and are {@code expected}. */
    private void assertQuiet(boolean expected) {
        try (StreamingInspection inspection = pipeline.open(REQUEST)) {
            assertThat(inspection.quiet()).isEqualTo(expected).isEqualTo(byDefault(inspection));
        }
    }

    /** The interface's default quiet(), read from result(). */
    private static boolean byDefault(StreamingInspection inspection) {
        StreamingInspection reading = new StreamingInspection() {
            public PipelineResult result() {
                return inspection.result();
            }

            public PipelineResult headers(Direction direction, List<Header> headers) {
                throw new UnsupportedOperationException();
            }

            public PipelineResult body(Direction direction, ByteBuffer chunk) {
                throw new UnsupportedOperationException();
            }

            public PipelineResult endOfBody(Direction direction) {
                throw new UnsupportedOperationException();
            }

            public void close() {
            }
        };
        return reading.quiet();
    }
}
