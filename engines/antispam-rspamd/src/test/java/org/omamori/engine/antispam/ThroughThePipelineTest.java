package org.omamori.engine.antispam;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.engine.antispam.rspamd.FakeRspamd;
import org.omamori.engine.antispam.rspamd.RspamdDaemon;
import org.omamori.inspection.FailurePolicy;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * The engine in the real inspection pipeline, streamed to as the SMTP intake does: rspamd's
 * verdict is enforced, and when rspamd is down or too slow the pipeline's failure policy
 * decides (docs/engine-sdk.md), with the reason and no mail content in the result.
 */
class ThroughThePipelineTest {

    private static PipelineResult stream(InspectionPipeline pipeline, byte[] mail) {
        InspectionRequest request = Mails.request(mail, Mails.INBOUND);
        try (StreamingInspection inspection = pipeline.open(request)) {
            for (int at = 0; at < mail.length; at += 2048) {
                inspection.body(Direction.REQUEST, ByteBuffer.wrap(mail, at, Math.min(2048, mail.length - at)).asReadOnlyBuffer());
            }
            return inspection.endOfBody(Direction.REQUEST);
        }
    }

    private static EngineResult ours(PipelineResult result) {
        return result.results().stream().filter(r -> r.engine().id().equals(AntispamEngine.ENGINE_ID)).findFirst().orElseThrow();
    }

    private static InspectionPipeline pipeline(FailurePolicy policy, Duration budget, AntispamSettings settings) {
        InspectionPipeline pipeline = new InspectionPipeline(new PipelineSettings(budget, policy, Duration.ofSeconds(5)));
        pipeline.addEngine(new AntispamEngine("test", settings));
        return pipeline;
    }

    @Test
    void rspamdsVerdictIsEnforced() {
        AntispamSettings settings = AntispamSettings.DEFAULTS.withRspamd(RspamdDaemon.SHARED.start());
        try (InspectionPipeline pipeline = pipeline(FailurePolicy.OPEN, Duration.ofSeconds(5), settings)) {
            PipelineResult refused = stream(pipeline, Mails.corpus("refuse-ja-phish-card-iso2022jp.eml"));
            assertThat(refused.verdict().action()).isEqualTo(Action.BLOCK);
            assertThat(ours(refused).outcome()).isEqualTo(Outcome.DECIDED);
            PipelineResult tagged = stream(pipeline, Mails.corpus("tag-ja-miwaku-iso2022jp.eml"));
            assertThat(tagged.verdict().action()).isEqualTo(Action.NEUTRALISE);
            assertThat(tagged.verdict().note()).startsWith("score=");
        }
    }

    @Test
    void rspamdDownFollowsTheFailurePolicy() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        byte[] mail = Mails.corpus("refuse-en-lottery.eml");
        for (FailurePolicy policy : FailurePolicy.values()) {
            try (InspectionPipeline pipeline = pipeline(policy, Duration.ofSeconds(5), AntispamSettings.DEFAULTS.withRspamd(nobody))) {
                PipelineResult result = stream(pipeline, mail);
                assertThat(ours(result).outcome()).isEqualTo(Outcome.ENGINE_ERROR);
                assertThat(ours(result).error()).contains("connection refused").doesNotContain("example").doesNotContain("@");
                assertThat(result.verdict().action()).isEqualTo(policy == FailurePolicy.OPEN ? Action.PASS : Action.BLOCK);
            }
        }
    }

    @Test
    void aHungRspamdIsCutOffByThePipelinesBudget() throws Exception {
        // The engine's own timeout is longer than the budget: the pipeline's watchdog interrupts the wait.
        try (FakeRspamd hung = new FakeRspamd(out -> Thread.sleep(60_000));
             InspectionPipeline pipeline = pipeline(FailurePolicy.OPEN, Duration.ofMillis(500),
                     AntispamSettings.DEFAULTS.withRspamd(hung.address()).withTimeout(Duration.ofSeconds(30)))) {
            long start = System.nanoTime();
            PipelineResult result = stream(pipeline, Mails.corpus("ham-ja-meeting-utf8.eml"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(ours(result).outcome()).isIn(Outcome.TIMEOUT, Outcome.ENGINE_ERROR);
            assertThat(result.verdict().action()).isEqualTo(Action.PASS);
            assertThat(ours(result).verdict().note()).contains("not inspected by antispam-rspamd");
        }
    }
}
