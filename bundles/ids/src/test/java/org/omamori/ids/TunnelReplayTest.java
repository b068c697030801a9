package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
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
 * What a connection carries after it became a tunnel (CONNECT answered 2xx, 101 Switching
 * Protocols) is read as a connection of its own, as Suricata goes on inspecting the stream.
 */
class TunnelReplayTest {

    private InspectionPipeline pipeline;

    @BeforeEach
    void rules(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("tunnel.rules");
        Files.writeString(rules, """
                alert ip any any -> any any (msg:"sitemap in the stream"; content:"Sitemap"; sid:7400001; rev:1;)
                alert tls any any -> any any (msg:"tunnelled name"; tls.sni; content:"inner.example"; sid:7400002; rev:1;)
                """);
        IpsEngine ips = new IpsEngine("tunnel", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);
    }

    @Test
    void theStreamAfterAnH2cUpgradeIsInspected() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40300, "198.51.100.50", 80).handshake()
                .client("GET /robots.txt HTTP/1.1\r\nHost: h2.example\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")
                .server("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n\0\0\0\4\0\0\0\0\0")
                .client("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\0\0\0\4\1\0\0\0\0")
                .server("\0\0\u003e\0\1\0\0\0\1User-agent: *\nDisallow: \n\nSitemap: //h2.example/sitemap.xml \n")
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);

        assertThat(o.rule("7400001")).hasSize(1);
        assertThat(o.summary().reassembly()).containsEntry("HTTP tunnels", 1L);
    }

    @Test
    void tlsInsideAConnectTunnelIsInspectedByItsServerName() throws Exception {
        byte[] hello = ProtocolsReplayTest.clientHello("inner.example");
        String record = new String(ProtocolsReplayTest.record(hello, 0, hello.length), StandardCharsets.ISO_8859_1);
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40301, "198.51.100.51", 3128).handshake()
                .client("CONNECT inner.example:443 HTTP/1.1\r\nHost: inner.example:443\r\n\r\n")
                .server("HTTP/1.1 200 Connection established\r\n\r\n")
                .client(record)
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);

        assertThat(o.rule("7400002")).hasSize(1);
        assertThat(o.summary().reassembly()).containsEntry("TLS ClientHellos", 1L);
    }
}
