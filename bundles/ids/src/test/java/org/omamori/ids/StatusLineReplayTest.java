package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** The replay hands engines the response's status line (Header.STATUS_LINE), so http.stat_code/stat_msg rules match. */
class StatusLineReplayTest {

    @Test
    void statusCodeAndReasonRulesMatchTheResponseAsSentAndOnlyIt(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("status.rules");
        Files.writeString(rules, """
                alert http any any -> any any (msg:"gate answered 404"; flow:to_client; http.stat_code; content:"404"; sid:7100001; rev:1;)
                alert http any any -> any any (msg:"odd reason"; flow:to_client; http.stat_msg; content:"Gone Fishing"; sid:7100002; rev:1;)
                alert http any any -> any any (msg:"response line"; flow:to_client; http.response_line; content:"HTTP/1.0 404"; startswith; sid:7100003; rev:1;)
                alert http any any -> any any (msg:"never: 200"; flow:to_client; http.stat_code; content:"200"; sid:7100004; rev:1;)
                """);
        IpsEngine ips = new IpsEngine("status", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);

        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40020, "198.51.100.12", 80).handshake()
                .client("GET /gate.php HTTP/1.1\r\nHost: www.example.jp\r\n\r\n")
                .server("HTTP/1.0 404 Gone Fishing\r\nContent-Length: 2\r\n\r\nno").close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);

        assertThat(o.rule("7100001")).hasSize(1);
        assertThat(o.rule("7100002")).hasSize(1);
        assertThat(o.rule("7100003")).hasSize(1);
        assertThat(o.rule("7100004")).isEmpty();
    }
}
