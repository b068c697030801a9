package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.events.Event;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** Connections in no protocol the replay reads are inspected as raw streams, both ways, banner included. */
class RawStreamReplayTest {

    @Test
    void anSmtpSessionIsARawStreamNotAnHttpParseErrorAndBothDirectionsAreInspected(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("raw.rules");
        Files.writeString(rules, String.join("\n",
                "alert tcp any any -> any 25 (msg:\"helo from a known bot\"; content:\"EHLO bot.example\"; sid:1; rev:1;)",
                "alert tcp any 25 -> any any (msg:\"banner of a bad relay\"; content:\"220 relay.bad\"; sid:2; rev:1;)",
                "alert ip any any -> any any (msg:\"split across segments\"; content:\"RCPT TO:<victim\"; sid:3; rev:1;)", ""));
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40020, "198.51.100.25", 25).handshake()
                .server("220 relay.bad ESMTP\r\n")
                .client("EHLO bot.example\r\n")
                .server("250 ok\r\n")
                .client("MAIL FROM:<a@b>\r\nRCPT TO:<vic", "tim@example.jp>\r\n")
                .close();
        List<Event> events = new ArrayList<>();
        ReplaySummary summary;
        try (IpsEngine ips = new IpsEngine("test", IpsSettings.DEFAULTS);
             InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS)) {
            assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                    IpsSettings.DEFAULTS)).isTrue();
            pipeline.addEngine(ips);
            try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(w.write(CaptureWriter.Format.PCAP_MICROS_LE)))) {
                summary = new Replay(pipeline, Replay.Options.DEFAULTS, events::addAll).run(reader, ReplayProgress.NONE);
            }
        }

        assertThat(events).extracting(Event::ruleId).containsExactlyInAnyOrder("sid:1", "sid:2", "sid:3");
        assertThat(summary.reassembly()).doesNotContainKey("HTTP parse errors").containsEntry("non-HTTP connections", 1L);
        assertThat(summary.httpRequests()).isZero();
    }
}
