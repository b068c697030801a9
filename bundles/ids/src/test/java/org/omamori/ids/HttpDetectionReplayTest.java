package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

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
 * HTTP the replay reads as Suricata (libhtp) does though it is not well formed: a request line
 * without a version that header lines follow, a response to bytes that are no request, responses
 * whose requests the capture lacks, and a response head the server closes inside
 * (docs/ids-replay.md, "What is read").
 */
class HttpDetectionReplayTest {

    private InspectionPipeline pipeline;

    @BeforeEach
    void rules(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("detect.rules");
        Files.writeString(rules, """
                alert http any any -> any any (msg:"ua header name"; flow:established,to_server; content:"GET"; http_method; http_header_names; content:"User-Agent"; sid:7200001; rev:1;)
                alert http any any -> any any (msg:"400 line"; http.response_line; content:"HTTP/1.1 400"; sid:7200002; rev:1;)
                alert http any any -> any any (msg:"400 line as body"; file.data; content:"HTTP/1.1 400"; sid:7200003; rev:1;)
                alert http any any -> any any (msg:"refusal body"; file.data; content:"refused here"; sid:7200004; rev:1;)
                alert http any any -> any any (msg:"server header"; flow:established,from_server; content:"ng1nx"; nocase; http_header; sid:7200005; rev:1;)
                alert http any any -> any any (msg:"status line as body"; file.data; content:"HTTP/1.0"; sid:7200006; rev:1;)
                """);
        IpsEngine ips = new IpsEngine("detect", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);
    }

    private ReplayTest.Outcome replay(CaptureWriter w) throws Exception {
        return ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);
    }

    @Test
    void aRequestLineWithoutAVersionThatHeaderLinesFollowIsReadAndReportedAsAnEvasion() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40100, "198.51.100.30", 80).handshake()
                .client("GET /gen.php?generate=1\r\nHost: 198.51.100.30\r\n", "Connection:keep-alive\r\nUser-Agent:Mozilla/5.0\r\n\r\n")
                .server("junk back").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.rule("7200001")).hasSize(1);
        assertThat(o.summary().httpFlows()).isEqualTo(1);
        assertThat(o.rule(Replay.EVASION_RULE)).singleElement()
                .satisfies(e -> assertThat(e.note()).contains("request line without a protocol version"));
    }

    @Test
    void aRequestLineWithoutAVersionOrHeadersStaysARawStream() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40101, "198.51.100.31", 25).handshake()
                .server("220 mail.example ESMTP\r\n")
                .client("EHLO client.example\r\n")
                .server("250 mail.example\r\n")
                .client("MAIL FROM:<a@client.example>\r\n").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.summary().httpFlows()).isZero();
        assertThat(o.summary().reassembly()).containsEntry("non-HTTP connections", 1L);
        assertThat(o.rule(Replay.EVASION_RULE)).isEmpty();
    }

    @Test
    void anHttpResponseToBytesThatAreNoRequestIsInspectedWithItsLineApartFromItsBody() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40102, "198.51.100.32", 80).handshake()
                .client("\u0085\0\0\0%lG\u0081\u0095>\u0003binary\njunk")
                .server("HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nConnection: close\r\n\r\nrefused here").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.rule("7200002")).hasSize(1);
        assertThat(o.rule("7200004")).hasSize(1);
        assertThat(o.rule("7200003")).isEmpty(); // the response line is no body
        assertThat(o.summary().httpFlows()).isEqualTo(1);
        assertThat(o.rule(Replay.EVASION_RULE)).singleElement()
                .satisfies(e -> assertThat(e.note()).contains("HTTP response to a request that is no HTTP"));
    }

    @Test
    void junkTheServerDoesNotAnswerAsHttpStaysARawStream() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40103, "198.51.100.33", 9000).handshake()
                .client("\u0001\u0002binary hello").server("\u0003\u0004binary answer").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.summary().httpFlows()).isZero();
        assertThat(o.summary().reassembly()).containsEntry("non-HTTP connections", 1L);
    }

    @Test
    void theClientsUnknownBytesAreHeldForTheAnswerOnlyUpToTheirBound() throws Exception {
        String junk = "\u0001".repeat(1400);
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40106, "198.51.100.36", 80).handshake()
                .client(junk, junk, junk, junk, junk, junk, junk) // 9,800 bytes: past SniffingSession.MAX_UNKNOWN
                .server("HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\n\r\nrefused here").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.summary().httpFlows()).isZero();
        assertThat(o.summary().reassembly()).containsEntry("non-HTTP connections", 1L);
        assertThat(o.rule("7200002")).isEmpty();
    }

    @Test
    void responsesWhoseRequestsTheCaptureLacksAreEachInspected() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40104, "198.51.100.34", 8080).handshake()
                .server("HTTP/1.0 200 OK\r\nServer: ng1nx\r\nContent-Length: 12\r\n\r\nrefused here\n",
                        "HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nrefused here")
                .close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.rule("7200004")).hasSize(2);
        assertThat(o.rule("7200005")).hasSize(1);
        assertThat(o.summary().httpResponses()).isEqualTo(2);
        assertThat(o.rule(Replay.EVASION_RULE)).isEmpty(); // nothing was sent that a browser would read otherwise
    }

    @Test
    void aResponseHeadTheServerClosesInsideIsInspectedWithTheLinesItHas() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40105, "198.51.100.35", 80).handshake()
                .client("GET / HTTP/1.1\r\nHost: 198.51.100.35\r\n\r\n")
                .server("HTTP/1.0 200 OK\nServer:NG1NX\r\n").close();
        ReplayTest.Outcome o = replay(w);

        assertThat(o.rule("7200005")).hasSize(1);
        assertThat(o.rule("7200006")).isEmpty(); // no longer taken for an HTTP/0.9 body
        assertThat(o.rule(Replay.EVASION_RULE)).isEmpty();
        assertThat(o.summary().reassembly()).containsEntry("HTTP messages cut short", 1L);
    }
}
