package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.PipelineResult;

/** The time the pipeline reports for each engine (its meters and results): what that engine's calls took. */
class EngineTimeTest {

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://www.example.jp/").build();

    private final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);

    @AfterEach
    void close() {
        pipeline.close();
    }

    /** Each engine's time is its own: a call is timed from where the one before it ended, not from the step's start. */
    @Test
    void eachEnginesTimeIsItsOwnWhenAnotherIsSlowBeforeIt() {
        EngineDescriptor slow = new EngineDescriptor("slow", "1.0", Set.of(SecurityFunction.URL_FILTERING));
        pipeline.addEngine(new Engine() {
            public EngineDescriptor descriptor() {
                return slow;
            }

            public Inspection inspect(InspectionRequest request) {
                try {
                    Thread.sleep(60);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Inspection.decided(Verdict.clean());
            }
        });
        pipeline.addEngine(InspectionPipelineTest.fixed("quick", Verdict.clean(), SecurityFunction.IPS));

        PipelineResult result = pipeline.inspect(REQUEST);

        assertThat(result.results().get(0).elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        assertThat(result.results().get(1).elapsed()).isLessThan(Duration.ofMillis(30));
    }
}
