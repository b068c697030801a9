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

/**
 * The replay hands engines each head as the capture holds it (engine API 1.5) and the request's
 * version: {@code http.header.raw} sees spacing, folding (a response's: the replay takes no folded
 * request) and case as sent, {@code http.request_line}
 * and {@code http.protocol} the version, as Suricata reads them.
 */
class HeadAsSentReplayTest {

    @Test
    void rawHeaderRequestLineAndProtocolAreTheBytesAsSent(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("head.rules");
        Files.writeString(rules, """
                alert http any any -> any any (msg:"spaces"; flow:to_server; http.header.raw; content:"host:|20 20 20|www"; sid:7200001; rev:1;)
                alert http any any -> any any (msg:"folded"; flow:to_client; content:"X-Fold: one|0d 0a 09|two"; http_raw_header; sid:7200002; rev:1;)
                alert http any any -> any any (msg:"1.0"; flow:to_server; http.protocol; content:"HTTP/1.0"; bsize:8; sid:7200003; rev:1;)
                alert http any any -> any any (msg:"line"; flow:to_server; http.request_line; content:"GET /gate.php HTTP/1.0"; bsize:22; sid:7200004; rev:1;)
                alert http any any -> any any (msg:"server"; flow:to_client; content:"Server|3a 20 20 20 20 20 20 20|Yx|28|"; http_raw_header; sid:7200005; rev:1;)
                alert http any any -> any any (msg:"never: 1.1"; flow:to_server; http.protocol; content:"HTTP/1.1"; sid:7200006; rev:1;)
                alert http any any -> any any (msg:"never: cleaned"; flow:to_server; http.header.raw; content:"host: www"; sid:7200007; rev:1;)
                alert http any any -> any any (msg:"never: the junk"; flow:to_client; http.header.raw; content:"junk"; sid:7200008; rev:1;)
                """);
        IpsEngine ips = new IpsEngine("head", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);

        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40020, "198.51.100.12", 80).handshake()
                .client("GET /gate.php HTTP/1.0\r\nhost:   www.example.jp\r\n\r\n")
                .server("junk\r\nHTTP/1.1 200 OK\r\nServer:       Yx(yw)        /SERVER IP\r\nX-Fold: one\r\n\ttwo\r\n"
                        + "Content-Length: 2\r\n\r\nok").close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);

        for (String sid : List.of("7200001", "7200002", "7200003", "7200004", "7200005")) {
            assertThat(o.rule(sid)).as(sid).hasSize(1);
        }
        for (String sid : List.of("7200006", "7200007", "7200008")) {
            assertThat(o.rule(sid)).as(sid).isEmpty();
        }
    }
}
