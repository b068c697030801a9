package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * The real antivirus and IPS behind the pipeline, which decodes a body once for both (decision
 * 0008): both find the test file inside a gzip body in chunked framing cut at odd places; a body
 * that cannot be decoded is inspected as sent by the IPS and is "not scanned" for the antivirus.
 */
class ContentOnceWithRealEnginesTest {

    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);

    static InspectionPipeline pipeline;
    static IpsEngine ips;
    static AvEngine av;

    @BeforeAll
    static void start() {
        ips = new IpsEngine("test", IpsSettings.DEFAULTS);
        if (!ips.loadNow(RuleSets.source(List.of(Path.of(System.getProperty("omamori.projectRules"))), Variables.defaults(),
                Classtypes.standard(), n -> { }), IpsSettings.DEFAULTS)) {
            throw new IllegalStateException("project rules did not load");
        }
        ClamdDaemon.SHARED.start();
        // No answer cache: each body is clamd's to judge.
        av = new AvEngine("test", new AvSettings(ClamdDaemon.SHARED.address(), true, 64L << 20, Duration.ofSeconds(30), 8,
                Duration.ZERO));
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);
        pipeline.addEngine(av);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
        av.close();
        ips.close();
    }

    /** An office PC downloading from the internet (the IPS's HOME_NET is the private ranges). */
    static InspectionRequest download() throws Exception {
        return InspectionRequest.http("GET", "http://files.example/setup.exe").connection(new Connection(ZonePair.LAN_TO_WAN,
                InetAddress.getByName("192.168.1.10"), 50123, InetAddress.getByName("198.51.100.5"), 80, Optional.empty())).build();
    }

    static PipelineResult through(List<Header> headers, byte[] wire, int piece) throws Exception {
        try (StreamingInspection i = pipeline.open(download())) {
            i.headers(Direction.RESPONSE, headers);
            for (int at = 0; at < wire.length; at += piece) {
                i.body(Direction.RESPONSE, ByteBuffer.wrap(wire, at, Math.min(piece, wire.length - at)).asReadOnlyBuffer());
            }
            i.endOfBody(Direction.RESPONSE);
            return i.result();
        }
    }

    static EngineResult of(PipelineResult r, String engineId) {
        return r.results().stream().filter(e -> e.engine().id().equals(engineId)).findFirst().orElseThrow();
    }

    @Test
    void bothEnginesFindTheTestFileInsideAGzipBodyInChunkedFraming() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("<html>download page</html>\n".getBytes(StandardCharsets.US_ASCII));
            out.write(EICAR);
        }
        byte[] zipped = gz.toByteArray();
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (int at = 0; at < zipped.length; at += 7) {
            int n = Math.min(7, zipped.length - at);
            framed.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            framed.write(zipped, at, n);
            framed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        PipelineResult r = through(List.of(new Header("Content-Encoding", "gzip"), new Header("Transfer-Encoding", "chunked")),
                framed.toByteArray(), 10);

        assertThat(of(r, AvEngine.ENGINE_ID).verdict().action()).isEqualTo(Action.NEUTRALISE);
        assertThat(of(r, AvEngine.ENGINE_ID).verdict().finding().orElseThrow().ruleName()).startsWith("Omamori.Test.EICAR");
        assertThat(of(r, IpsEngine.ENGINE_ID).verdict().finding().orElseThrow().ruleId()).isIn("sid:9000018", "sid:9000019");
    }

    @Test
    void aBodyThatCannotBeDecodedIsInspectedAsSentByTheIpsAndNotScannedByTheAntivirus() throws Exception {
        byte[] wire = ("not gzip at all " + new String(EICAR, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

        PipelineResult r = through(List.of(new Header("Content-Encoding", "gzip")), wire, 1024);

        assertThat(of(r, IpsEngine.ENGINE_ID).verdict().finding()).as("the bytes as sent still carry EICAR").isPresent();
        assertThat(of(r, IpsEngine.ENGINE_ID).verdict().note()).contains("could not be decoded").contains("inspected as sent");
        assertThat(of(r, AvEngine.ENGINE_ID).verdict().note()).startsWith("not scanned:").contains("cannot be decoded");
    }
}
