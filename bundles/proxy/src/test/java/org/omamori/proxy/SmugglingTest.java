package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/**
 * Request smuggling and response crossing, against an origin that logs the exact bytes it gets
 * and frames them as a typical backend would. The invariant for every variant: the origin
 * receives exactly the requests the proxy decided on and inspected, in order, or none.
 */
class SmugglingTest {

    static RealEngines engines;
    static RecordingOrigin origin;
    static WebProxy proxy;
    static InetSocketAddress explicit;
    static final List<String> inspected = new CopyOnWriteArrayList<>();
    static final List<Event> events = new CopyOnWriteArrayList<>();

    /** The real pipeline, noting the method and path of every request it is asked about. */
    record Noting(Pipeline real) implements Pipeline {
        @Override
        public PipelineResult inspect(InspectionRequest request) {
            return real.inspect(request);
        }

        @Override
        public StreamingInspection open(InspectionRequest request) {
            String url = request.url();
            inspected.add(request.method() + " " + url.substring(url.indexOf('/', "http://".length())));
            return real.open(request);
        }

        @Override
        public List<EngineDescriptor> engines() {
            return real.engines();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        engines = new RealEngines();
        origin = new RecordingOrigin();
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"))
                .withConnections(64, 64, Duration.ofSeconds(5));
        proxy = WebProxy.start(settings, new Noting(engines.pipeline), new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        explicit = proxy.addresses().get(0);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
        engines.close();
    }

    @BeforeEach
    void clear() {
        origin.clear();
        inspected.clear();
        events.clear();
    }

    String line(String method, String path) {
        return method + " " + origin.url(path) + " HTTP/1.1\r\nHost: x\r\n";
    }

    static final String EVIL = "GET /evil/admin HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void aConnectionHeaderNamingContentLengthIsRefusedAndNothingReachesTheOrigin() throws Exception {
        String request = line("POST", "/x") + "Connection: Content-Length\r\nContent-Length: " + EVIL.length() + "\r\n\r\n" + EVIL;
        try (RawClient c = new RawClient(explicit)) {
            c.write(request);
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(origin.connections()).as("no connection to the origin at all").isZero();
        assertThat(inspected).isEmpty();
    }

    @Test
    void aConnectionHeaderNamingTransferEncodingIsRefused() throws Exception {
        String chunk = Integer.toHexString(EVIL.length()) + "\r\n" + EVIL + "\r\n0\r\n\r\n";
        for (String connection : List.of("Transfer-Encoding", "keep-alive, transfer-encoding", "close,Content-Length")) {
            try (RawClient c = new RawClient(explicit)) {
                c.write(line("POST", "/x") + "Connection: " + connection + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
                assertThat(c.read().status()).as(connection).isEqualTo(400);
            }
        }
        assertThat(origin.connections()).isZero();
    }

    @Test
    void aResponseNamingItsFramingInConnectionIsA502() throws Exception {
        origin.answer = r -> ("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\nhello")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = new RawClient(explicit)) {
            c.write(line("GET", "/page") + "\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text()).doesNotContain("hello");
        }
        assertThat(proxy.counters().badOrigins()).isPositive();
    }

    @Test
    void aSmuggledSecondResponseNeverReachesAnotherClient() throws Exception {
        // The origin answers each request with its own response plus one more: a pooled connection
        // that kept the extra would hand it to the next client as the answer to its request.
        origin.answer = r -> ("HTTP/1.1 200 OK\r\nContent-Length: " + (r.target().length()) + "\r\n\r\n" + r.target()
                + "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED").getBytes(StandardCharsets.ISO_8859_1);
        assertEachClientGetsOnlyItsOwnAnswer();
        // The same with the extra response sent late, while the connection is idle in the pool.
        origin.clear();
        origin.answer = r -> ("HTTP/1.1 200 OK\r\nContent-Length: " + (r.target().length()) + "\r\n\r\n" + r.target())
                .getBytes(StandardCharsets.ISO_8859_1);
        origin.late = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED".getBytes(StandardCharsets.ISO_8859_1);
        origin.lateAfterMillis = 50;
        assertEachClientGetsOnlyItsOwnAnswer();
    }

    private void assertEachClientGetsOnlyItsOwnAnswer() throws Exception {
        for (int round = 0; round < 4; round++) {
            for (String client : List.of("/alice", "/bob")) {
                String path = client + "/" + round;
                try (RawClient c = new RawClient(explicit)) {
                    c.write(line("GET", path) + "\r\n");
                    RawClient.Response r = c.read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.text()).as("the answer to " + path).isEqualTo(path);
                }
                Thread.sleep(200); // the late extra, if any, arrives while the connection is idle
            }
        }
    }

    @Test
    void framingHeadersAreForwardedInOneCanonicalForm() throws Exception {
        String[] requests = {
            line("POST", "/two-equal-lengths") + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            line("POST", "/a-length-list") + "Content-Length: 5, 5\r\n\r\nhello",
            line("POST", "/chunk-extension") + "Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n",
            line("POST", "/chunk-size-spaces") + "Transfer-Encoding: chunked\r\n\r\n5  \r\nhello\r\n0\r\n\r\n",
            line("POST", "/chunk-leading-zeros") + "Transfer-Encoding: chunked\r\n\r\n00005\r\nhello\r\n0\r\n\r\n",
            line("POST", "/chunk-trailer") + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Smuggle: GET /evil\r\n\r\n",
            line("POST", "/coding-case") + "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            line("POST", "/coding-tab") + "Transfer-Encoding:\tchunked\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        };
        for (String request : requests) {
            try (RawClient c = new RawClient(explicit)) {
                c.write(request);
                assertThat(c.read().status()).as(request).isEqualTo(200);
            }
        }
        assertThat(origin.requests).hasSize(requests.length);
        for (RecordingOrigin.Request r : origin.requests) {
            assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).as(r.line()).isEqualTo("hello");
            assertThat(r.head()).as(r.line()).doesNotContain(";name", "  \r\n", "X-Smuggle", "CHUNKED", "\t");
            assertThat(r.head().split("(?i)content-length:", -1)).as(r.line()).hasSizeLessThanOrEqualTo(2);
        }
        String wire = wireText();
        assertThat(wire).contains("Content-Length: 5\r\n").doesNotContain("5, 5").doesNotContain("00005")
                .doesNotContain("X-Smuggle").contains("Transfer-Encoding: chunked\r\n").contains("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void aResponseIsForwardedInCanonicalFormToo() throws Exception {
        origin.answer = r -> ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = new RawClient(explicit)) {
            c.write(line("GET", "/page") + "\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.head().split("(?i)content-length:", -1)).hasSize(2);
        }
        origin.answer = r -> ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 ;x=y\r\nok\r\n0\r\nX-Trailer: a\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = new RawClient(explicit)) {
            c.write(line("GET", "/page") + "Connection: close\r\n\r\n");
            c.socket.setSoTimeout(5000);
            String text = new String(c.readAll(), StandardCharsets.ISO_8859_1);
            assertThat(text).contains("\r\n\r\n2\r\nok\r\n0\r\n\r\n").doesNotContain("x=y").doesNotContain("X-Trailer");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the proxy did not end the chunked response", e);
        }
    }

    @Test
    void malformedOriginRepliesAre502sBlamedOnTheOrigin() throws Exception {
        String[] replies = {
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
            "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\nPRI * HTTP/2.0\r\n",
            "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nBad\rHeader: x\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Le",
        };
        long malformedBefore = proxy.counters().malformed();
        origin.closeAfterAnswer = true;
        for (String reply : replies) {
            origin.answer = r -> reply.getBytes(StandardCharsets.ISO_8859_1);
            try (RawClient c = new RawClient(explicit)) {
                c.write(line("GET", "/page") + "Connection: close\r\n\r\n");
                assertThat(c.read().status()).as(reply).isEqualTo(502);
            }
        }
        assertThat(proxy.counters().malformed()).as("none is counted against the client").isEqualTo(malformedBefore);
    }

    /**
     * The corpus: mutations that public request-smuggling research and tools use. Each is sent on
     * its own connection, followed on the same write by a request for {@code /next}, as an attacker
     * would queue a victim's request.
     */
    @Test
    void theOriginReceivesExactlyWhatTheProxyInspected() throws Exception {
        List<String> corpus = corpus();
        List<String> failures = new ArrayList<>();
        for (String variant : corpus) {
            origin.clear();
            inspected.clear();
            try (RawClient c = new RawClient(explicit)) {
                c.socket.setSoTimeout(5000);
                // The last request says close, so the proxy ends the connection once it is done with
                // every request of the variant: reading to the end waits for exactly that.
                c.write(variant + line("GET", "/next") + "Connection: close\r\n\r\n");
                try {
                    c.readAll();
                } catch (java.io.IOException ended) {
                    // reset or silent: what matters is what the origin got
                }
            }
            long until = System.nanoTime() + 1_000_000_000L;
            while (origin.requests.size() < inspected.size() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            List<String> got = origin.requests.stream()
                    .map(r -> r.line().substring(0, r.line().lastIndexOf(' '))).toList();
            // A request refused for its body was inspected (its head) but never sent: the origin's
            // requests are the inspected ones in order, less such refusals, and nothing it could not frame.
            if (!inOrderWithin(got, inspected) || origin.unframed.get() > 0) {
                failures.add(variant.replace("\r", "\\r").replace("\n", "\\n") + "\n   inspected " + inspected + "\n   origin got " + got + (origin.unframed.get() > 0 ? " and bytes it could not frame" : ""));
            }
        }
        assertThat(failures).as("variants where the origin saw other requests than the proxy inspected").isEmpty();
        assertThat(corpus).hasSizeGreaterThan(60);
    }

    /** Whether every element of {@code part} is in {@code whole}, in the same order. */
    private static boolean inOrderWithin(List<String> part, List<String> whole) {
        int at = 0;
        for (String p : part) {
            while (at < whole.size() && !whole.get(at).equals(p)) {
                at++;
            }
            if (at++ >= whole.size()) {
                return false;
            }
        }
        return true;
    }

    /** Request-smuggling variants: each carries a hidden {@code GET /evil} the proxy must never forward uninspected. */
    private List<String> corpus() {
        String evil = "GET /evil HTTP/1.1\r\nHost: x\r\n\r\n";
        String chunkedEvil = "0\r\n\r\n" + evil;
        String smallChunk = "5\r\nhello\r\n0\r\n\r\n";
        List<String> teForms = List.of("Transfer-Encoding: chunked", "Transfer-Encoding : chunked", "Transfer-Encoding:chunked",
                "Transfer-Encoding:\tchunked", "Transfer-Encoding: chunked ", "Transfer-Encoding: xchunked",
                "Transfer-Encoding: chunked, identity", "Transfer-Encoding: identity, chunked", "Transfer-Encoding: chunked, chunked",
                "Transfer-Encoding: \"chunked\"", "Transfer-Encoding: chunk", "Transfer-Encoding: CHUNKED", "transfer-encoding: chunked",
                "Transfer_Encoding: chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: x",
                "Transfer-Encoding: x\r\nTransfer-Encoding: chunked", "Transfer-Encoding:\u000bchunked", "Transfer-Encoding: \u00a0chunked",
                "Transfer-Encoding\r\n : chunked", "Transfer-Encoding: \r\n chunked", "X: y\r\n Transfer-Encoding: chunked",
                " Transfer-Encoding: chunked", "Transfer-Encoding: chunked\u0000", "Transfer-Encoding\u0000: chunked",
                "Transfer-Encoding: ,chunked", "Transfer-Encoding: chunked;q=1");
        List<String> clForms = List.of("Content-Length: 5", "Content-Length : 5", "Content-Length: 05", "Content-Length: +5",
                "Content-Length: -5", "Content-Length: 5, 6", "Content-Length: 5, 5", "Content-Length: 5\r\nContent-Length: 6",
                "Content-Length: 5\r\nContent-Length: 5", "Content-Length:", "Content-Length: 0x5", "Content-Length: 5 5",
                "Content-Length: 5\u0000", "Content-Length: \r\n 5", "Content-Length: 99999999999999999999",
                "Content_Length: 5", "Content-Length: 5.0", "Content-Length: 5,", "Content-Length: ,5", "Content-Length:\u000b5",
                "Content-Length: 5\u000c");
        List<String> corpus = new ArrayList<>();
        for (String te : teForms) {
            corpus.add(line("POST", "/te") + te + "\r\n\r\n" + chunkedEvil);
            corpus.add(line("POST", "/te-cl") + te + "\r\nContent-Length: 4\r\n\r\n" + chunkedEvil);
            corpus.add(line("POST", "/cl-te") + "Content-Length: " + (chunkedEvil.length()) + "\r\n" + te + "\r\n\r\n" + chunkedEvil);
        }
        for (String cl : clForms) {
            corpus.add(line("POST", "/cl") + cl + "\r\n\r\nhello" + evil);
        }
        for (String connection : List.of("Content-Length", "Transfer-Encoding", "close, Content-Length", "keep-alive,Transfer-Encoding")) {
            corpus.add(line("POST", "/conn") + "Connection: " + connection + "\r\nContent-Length: " + evil.length() + "\r\n\r\n" + evil);
            corpus.add(line("POST", "/conn-te") + "Connection: " + connection + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(evil.length()) + "\r\n" + evil + "\r\n0\r\n\r\n");
        }
        for (String size : List.of("5 ", "5\t", "5;x", "5 ;x=\"y\"", "05", "0x5", "+5", "-5", "5\n", "ffffffffffffffffff5",
                "5\u0000", " 5", "5\r\r")) {
            corpus.add(line("POST", "/size") + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n" + evil);
        }
        corpus.add(line("POST", "/short-chunk") + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n" + evil);
        corpus.add(line("POST", "/long-chunk") + "Transfer-Encoding: chunked\r\n\r\n9\r\nhello\r\n0\r\n\r\n" + evil);
        corpus.add(line("POST", "/lf-chunk") + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n" + evil);
        corpus.add(line("POST", "/trailer") + "Transfer-Encoding: chunked\r\n\r\n" + "0\r\nX: " + evil.replace("\r\n", " ") + "\r\n\r\n");
        corpus.add("POST " + origin.url("/http10-te") + " HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + smallChunk + evil);
        corpus.add("POST " + origin.url("/http10-cl") + " HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello");
        corpus.add(line("GET", "/pipelined") + "\r\n" + line("GET", "/pipelined-2") + "\r\n");
        corpus.add(line("GET", "/get-with-body") + "Content-Length: " + evil.length() + "\r\n\r\n" + evil);
        corpus.add(line("GET", "/expect") + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
        corpus.add(line("GET", "/upgrade") + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n" + evil);
        corpus.add(line("GET", "/bare-cr") + "X: a\rContent-Length: 5\r\n\r\nhello" + evil);
        corpus.add(line("GET", "/bare-lf") + "X: a\nContent-Length: 5\r\n\r\nhello" + evil);
        corpus.add("GET " + origin.url("/absolute") + " HTTP/1.1\r\nHost: other.example\r\n\r\n");
        corpus.add(line("GET", "/space-in-target x") + "\r\n");
        corpus.add(line("GET", "/nul-in-value") + "X-A: a\u0000b\r\n\r\n");
        corpus.add(line("GET", "/empty-name") + ": x\r\n\r\n");
        corpus.add(line("GET", "/high-bit-name") + "Content-Length\u00ff: 5\r\n\r\nhello" + evil);
        return corpus;
    }

    private String wireText() {
        StringBuilder all = new StringBuilder();
        for (var log : origin.wire) {
            synchronized (log) {
                all.append(log.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
