package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.metrics.Meters;

class PipelineMetersTest {

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://www.example.jp/").build();

    private final Meters meters = Meters.isolated();
    private final InspectionPipeline pipeline = new InspectionPipeline(
            new PipelineSettings(Duration.ofMillis(300), FailurePolicy.CLOSED, Duration.ofSeconds(5)), meters);

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void verdictsLatencyAndFailurePolicyDecisionsAreCountedPerEngineAndFunction() {
        pipeline.addEngine(InspectionPipelineTest.fixed("urlfilter",
                Verdict.block(InspectionPipelineTest.finding("malware-site", Level.HIGH)), SecurityFunction.URL_FILTERING));
        pipeline.addEngine(new Engine() {
            private final EngineDescriptor d = new EngineDescriptor("av", "1", Set.of(SecurityFunction.ANTIVIRUS));

            public EngineDescriptor descriptor() {
                return d;
            }

            public org.omamori.api.engine.Inspection inspect(InspectionRequest request) {
                throw new IllegalStateException("clamd is gone");
            }
        });

        pipeline.inspect(REQUEST);
        pipeline.inspect(REQUEST);

        String scrape = meters.scrape();
        assertThat(scrape)
                .contains("omamori_inspection_requests_total{zones=\"inspected\"} 2.0")
                .contains("omamori_inspection_verdicts_total{action=\"block\",engine=\"urlfilter\",function=\"url-filtering\"} 2.0")
                .contains("omamori_inspection_verdicts_total{action=\"pass\",engine=\"urlfilter\",function=\"url-filtering\"} 0.0")
                // the failing engine's verdict is the closed policy's block
                .contains("omamori_inspection_verdicts_total{action=\"block\",engine=\"av\",function=\"antivirus\"} 2.0")
                .contains("omamori_inspection_failures_total{engine=\"av\",function=\"antivirus\",outcome=\"engine_error\",policy=\"closed\"} 2.0")
                .contains("omamori_inspection_failures_total{engine=\"av\",function=\"antivirus\",outcome=\"timeout\",policy=\"closed\"} 0.0")
                .contains("omamori_inspection_engine_duration_seconds_count{engine=\"urlfilter\",function=\"url-filtering\"} 2")
                .contains("omamori_inspection_engine_duration_seconds_bucket{engine=\"urlfilter\",function=\"url-filtering\",le=\"10.0\"} 2");
    }
}
