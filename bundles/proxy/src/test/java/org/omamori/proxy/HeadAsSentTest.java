package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * Engines are handed each head as the proxy received it (engine API 1.5): the request's bytes and
 * version with its facts, the response's bytes with its headers; the IPS reads {@code http.header.raw},
 * {@code http.request_line} and {@code http.protocol} from them, as Suricata does.
 */
class HeadAsSentTest {

    static final String REQUEST_HEAD = "GET %s HTTP/1.0\r\nhost:   odd.example \r\nuser-agent:\tcurl/8\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer:       Yx(yw)\r\ncontent-length: 2\r\n\r\nok";

    @TempDir
    Path tmp;

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static WebProxy proxy(InspectionPipeline pipeline) throws Exception {
        return WebProxy.start(ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32")),
                pipeline, new EventFactory(new ApplianceId("00a0de000002")), list -> { });
    }

    @Test
    void engineSeesTheRequestAndResponseHeadsAsSentAndTheRequestsVersion() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Engine recorder = new Engine() {
            @Override
            public EngineDescriptor descriptor() {
                return new EngineDescriptor("recorder", "1.0", Set.of(SecurityFunction.IPS));
            }

            @Override
            public Inspection inspect(InspectionRequest request) {
                seen.add("version " + request.httpVersion());
                seen.add("request " + text(request.head()));
                return new Inspection() {
                    @Override
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    @Override
                    public void headers(Direction direction, List<Header> headers, ByteBuffer head) {
                        seen.add("response " + text(head));
                    }
                };
            }
        };
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(recorder);
        try (RecordingOrigin origin = new RecordingOrigin(); WebProxy proxy = proxy(pipeline);
             RawClient c = new RawClient(proxy.addresses().get(0))) {
            origin.answer = r -> RESPONSE.getBytes(StandardCharsets.ISO_8859_1);
            String url = origin.url("/a?b");
            c.write(REQUEST_HEAD.formatted(url));
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(seen).containsExactly("version HTTP/1.0", "request " + REQUEST_HEAD.formatted(url),
                    "response " + RESPONSE.substring(0, RESPONSE.length() - 2));
        } finally {
            pipeline.close();
        }
    }

    /**
     * A client connection reads its heads into arrays it keeps from one exchange to the next: a
     * shorter head after a longer one, either way, reaches the engines with none of the longer one's bytes,
     * and the facts of both requests name the same source and destination.
     */
    @Test
    void headsOfOneConnectionReachTheEnginesWholeWhenALongerOneCameBefore() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<InspectionRequest> facts = new CopyOnWriteArrayList<>();
        Engine recorder = new Engine() {
            @Override
            public EngineDescriptor descriptor() {
                return new EngineDescriptor("recorder", "1.0", Set.of(SecurityFunction.IPS));
            }

            @Override
            public Inspection inspect(InspectionRequest request) {
                facts.add(request);
                seen.add("request " + text(request.head()));
                return new Inspection() {
                    @Override
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    @Override
                    public void headers(Direction direction, List<Header> headers, ByteBuffer head) {
                        seen.add("response " + text(head));
                    }
                };
            }
        };
        String longResponse = "HTTP/1.1 200 OK\r\nX-Long: " + "y".repeat(3000) + "\r\nContent-Length: 2\r\n\r\n";
        String shortResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(recorder);
        try (RecordingOrigin origin = new RecordingOrigin(); WebProxy proxy = proxy(pipeline);
             RawClient c = new RawClient(proxy.addresses().get(0))) {
            origin.answer = r -> ((r.target().equals("/long") ? longResponse : shortResponse) + "ok").getBytes(StandardCharsets.ISO_8859_1);
            String longRequest = "GET " + origin.url("/long") + " HTTP/1.1\r\nHost: x\r\nX-Long: " + "z".repeat(3000) + "\r\n\r\n";
            String shortRequest = "GET " + origin.url("/s") + " HTTP/1.1\r\nHost: x\r\n\r\n";
            for (String request : List.of(longRequest, shortRequest, longRequest, shortRequest)) {
                c.write(request);
                assertThat(c.read().status()).isEqualTo(200);
            }
            assertThat(seen).containsExactly("request " + longRequest, "response " + longResponse, "request " + shortRequest,
                    "response " + shortResponse, "request " + longRequest, "response " + longResponse,
                    "request " + shortRequest, "response " + shortResponse);
            assertThat(facts).extracting(f -> f.connection().source()).containsOnly(facts.get(0).connection().source());
            assertThat(facts).extracting(f -> f.connection().sourcePort()).containsOnly(facts.get(0).connection().sourcePort());
            assertThat(facts).extracting(f -> f.connection().destination().getHostAddress()).containsOnly(RealEngines.ORIGIN_ADDRESS);
        } finally {
            pipeline.close();
        }
    }

    @Test
    void ipsRulesOnTheBytesAsSentBlockThroughTheProxy() throws Exception {
        Path rules = Files.writeString(tmp.resolve("t.rules"), String.join("\n",
                "drop http any any -> any any (msg:\"raw spacing\"; flow:to_server; http.header.raw; content:\"host|3a 20 20 20|odd\"; sid:1;)",
                "drop http any any -> any any (msg:\"1.0 line\"; flow:to_server; http.request_line; content:\"/old HTTP/1.0\"; endswith; "
                        + "http.protocol; content:\"HTTP/1.0\"; bsize:8; sid:2;)",
                "drop http any any -> any any (msg:\"server spacing\"; flow:to_client; content:\"Server|3a 20 20 20 20 20 20 20|Yx|28|\"; "
                        + "http_raw_header; sid:3;)") + "\n");
        IpsEngine ips = new IpsEngine("test", IpsSettings.DEFAULTS);
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        try (RecordingOrigin origin = new RecordingOrigin(); WebProxy proxy = proxy(pipeline)) {
            assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                    IpsSettings.DEFAULTS)).isTrue();
            pipeline.addEngine(ips);
            String clean = "GET %s HTTP/1.1\r\nHost: odd.example\r\n\r\n";
            assertThat(status(proxy, clean.formatted(origin.url("/")))).as("nothing odd").isEqualTo(200);
            assertThat(status(proxy, REQUEST_HEAD.formatted(origin.url("/")))).as("the spaces after host:").isEqualTo(403);
            assertThat(status(proxy, "GET %s HTTP/1.0\r\nHost: odd.example\r\n\r\n".formatted(origin.url("/old"))))
                    .as("an HTTP/1.0 request line").isEqualTo(403);
            assertThat(status(proxy, clean.formatted(origin.url("/old")))).as("the same over HTTP/1.1").isEqualTo(200);
            assertThat(origin.requests).hasSize(2);
            origin.answer = r -> RESPONSE.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(status(proxy, clean.formatted(origin.url("/")))).as("the server's spacing").isEqualTo(403);
        } finally {
            pipeline.close();
            ips.close();
        }
    }

    private static int status(WebProxy proxy, String request) throws Exception {
        try (RawClient c = new RawClient(proxy.addresses().get(0))) {
            c.write(request);
            return c.read().status();
        }
    }
}
