package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * A pooled request state lends its exchange the head buffers' views, {@code http.start}'s array and
 * the set of the rules fired ({@link ExchangeLoans}); the next exchange it serves re-aims and reuses
 * them. Nothing of one exchange may reach the next through them: each exchange's views hold its own
 * bytes whatever the exchange before held (longer or shorter, with or without the head as sent),
 * a view asked of a closed inspection is not one the next exchange re-aims, and a rule fired in one
 * exchange fires (and alerts) again in the next.
 */
class ExchangeLoansTest {

    private static final List<Buffer> REQUEST_HEAD = java.util.Arrays.stream(Buffer.values())
            .filter(b -> !b.responseHead() && !b.tlsClientHello() && !b.tlsCertificate() && !Side.streamed(b)).toList();

    @TempDir
    Path tmp;
    private IpsEngine engine;

    @BeforeEach
    void load() throws Exception {
        // a rule on the raw request stream: every HTTP exchange takes its request state (and its loans) first
        engine = IpsEngineTest.loaded(IpsEngineTest.rulesFile(tmp,
                "alert http any any -> any any (msg:\"raw\"; flow:to_server; content:\"RAWMARK\"; sid:1; rev:1;)",
                "alert http any any -> any any (msg:\"uri\"; flow:to_server; http.uri; content:\"/attack\"; sid:2; rev:1;)",
                "alert http any any -> any any (msg:\"host\"; flow:to_server; http.host; content:\"evil.example\"; sid:3; rev:1;)",
                "alert http any any -> any any (msg:\"method\"; flow:to_server; http.method; content:\"PUT\"; sid:4; rev:1;)",
                "alert http any any -> any any (msg:\"server\"; flow:to_client; http.server; content:\"EvilServer\"; sid:5; rev:1;)"));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static List<InspectionRequest> requests() throws Exception {
        String sentHead = "GET http://h/a%41 HTTP/1.0\r\nHost:  h\r\nX-A: 1\r\n\r\n";
        return List.of(
                IpsEngineTest.outbound("GET", "http://www.example.com/a/very/long/path/" + "x".repeat(700) + "?q=1")
                        .header("Host", "www.example.com").header("User-Agent", "u".repeat(300)).header("Accept", "*/*").build(),
                IpsEngineTest.outbound("GET", "http://h/").build(),
                IpsEngineTest.outbound("PUT", "http://evil.example/attack").header("Host", "evil.example").build(),
                IpsEngineTest.outbound("GET", "http://h/a%41").header("Host", "h").header("X-A", "1").httpVersion("HTTP/1.0")
                        .head(ByteBuffer.wrap(sentHead.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer()).build(),
                IpsEngineTest.outbound("POST", "http://Example.COM:8080/a%20b?q=%41#frag").header("Host", "Example.COM:8080")
                        .header("Cookie", "a=1").httpVersion("HTTP/1.0").build(),
                IpsEngineTest.outbound("GET", "http://h/caf\u00e9").header("X-Name", "\u20ac uro").build(),
                IpsEngineTest.outbound("GET", "http://" + "l".repeat(5000) + ".example/").build(), // larger than a kept array
                IpsEngineTest.outbound("G", "http://h").build());
    }

    @Test
    void eachExchangesViewsHoldItsOwnBytesWhateverTheOneBeforeHeld() throws Exception {
        List<InspectionRequest> requests = requests();
        ByteView lentMethod = null;
        int reused = 0;
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < requests.size(); k++) {
                InspectionRequest request = requests.get((k * (round + 1)) % requests.size());
                try (Inspection i = engine.inspect(request)) {
                    IpsInspection x = (IpsInspection) i;
                    assertThat(x.loans()).as("an HTTP exchange's request state lends").isNotNull();
                    IpsExchange own = new IpsExchange(request) { }; // no loans: views of arrays of its own
                    for (Buffer b : REQUEST_HEAD) {
                        assertThat(text(x.headerBytes(b))).as("%s of %s", b, request.url()).isEqualTo(text(own.headerBytes(b)));
                    }
                    ByteView method = x.headerView(Buffer.HTTP_METHOD);
                    reused += method == lentMethod ? 1 : 0;
                    lentMethod = method;
                }
            }
        }
        assertThat(reused).as("the views are the pooled state's, re-aimed: this test reaches the loans").isPositive();
    }

    @Test
    void aClosedInspectionsViewsAreItsOwnNotTheNextExchanges() throws Exception {
        InspectionRequest first = IpsEngineTest.outbound("PUT", "http://evil.example/attack/one").header("Host", "evil.example").build();
        InspectionRequest second = IpsEngineTest.outbound("GET", "http://h/x").build();
        IpsInspection closed = (IpsInspection) engine.inspect(first);
        ByteView lent = closed.headerView(Buffer.HTTP_URI_RAW);
        closed.close();
        try (Inspection next = engine.inspect(second)) {
            ByteView nextView = ((IpsInspection) next).headerView(Buffer.HTTP_URI_RAW);
            assertThat(text(nextView.bytes())).isEqualTo("/x");
            // asked after its close, the closed inspection makes its own views again, of its own bytes
            ByteView again = closed.headerView(Buffer.HTTP_URI_RAW);
            assertThat(again).isNotSameAs(nextView);
            assertThat(text(again.bytes())).isEqualTo("/attack/one");
            assertThat(text(closed.headerBytes(Buffer.HTTP_HOST))).isEqualTo("evil.example");
            assertThat(text(closed.headerBytes(Buffer.HTTP_METHOD))).isEqualTo("PUT");
            assertThat(text(closed.headerBytes(Buffer.HTTP_START))).isEqualTo("PUT /attack/one HTTP/1.1\r\nHost: evil.example\r\n\r\n");
            assertThat(lent == nextView || text(lent.bytes()).equals("/attack/one")).as("lent views go back with the state").isTrue();
        }
    }

    @Test
    void aRuleFiredInOneExchangeFiresAgainInTheNext() throws Exception {
        InspectionRequest attack = IpsEngineTest.outbound("PUT", "http://evil.example/attack").header("Host", "evil.example").build();
        InspectionRequest clean = IpsEngineTest.outbound("GET", "http://h/clean").build();
        for (int round = 0; round < 20; round++) {
            List<String> fired = new ArrayList<>();
            try (Inspection i = engine.inspect(attack)) {
                i.body(Direction.REQUEST, ByteBuffer.wrap("RAWMARK".getBytes(StandardCharsets.ISO_8859_1)));
                i.endOfBody(Direction.REQUEST);
                i.verdict().findings().forEach(f -> fired.add(f.ruleId()));
                IpsInspection x = (IpsInspection) i;
                assertThat(x.hasFired(x.compiled.rules.length > 0 ? ruleIndex(x, "sid:2") : -1)).isTrue();
            }
            assertThat(fired).as("round %d", round).containsExactlyInAnyOrder("sid:1", "sid:2", "sid:3", "sid:4");
            try (Inspection i = engine.inspect(clean)) {
                IpsInspection x = (IpsInspection) i;
                for (int r = 0; r < x.compiled.rules.length; r++) {
                    assertThat(x.hasFired(r)).as("rule %d fired in the exchange before", r).isFalse();
                }
                i.endOfBody(Direction.REQUEST);
                assertThat(i.verdict().finding()).as("round %d", round).isEmpty();
            }
        }
    }

    /** The response head's candidates are collected in the request state's set: emptied after each head, so none reaches the next exchange. */
    @Test
    void aResponseHeadsCandidatesStayWithTheirExchange() throws Exception {
        for (int round = 0; round < 10; round++) {
            for (String server : List.of("EvilServer/1", "nginx", "EvilServer/2", "EvilServe")) {
                try (Inspection i = engine.inspect(IpsEngineTest.outbound("GET", "http://h/" + round).build())) {
                    i.headers(Direction.RESPONSE, List.of(new org.omamori.api.engine.Header(":status-line", "HTTP/1.1 200 OK"),
                            new org.omamori.api.engine.Header("Server", server)));
                    i.endOfBody(Direction.RESPONSE);
                    assertThat(i.verdict().findings()).as("round %d, %s", round, server).extracting(f -> f.ruleId())
                            .isEqualTo(server.startsWith("EvilServer") ? List.of("sid:5") : List.of());
                    assertThat(((IpsInspection) i).loans().lateCandidates.size()).as("emptied after the head").isZero();
                }
            }
        }
    }

    private static int ruleIndex(IpsInspection x, String id) {
        for (CompiledRule r : x.compiled.rules) {
            if (r != null && r.verdict.finding().orElseThrow().ruleId().equals(id)) {
                return r.index;
            }
        }
        throw new AssertionError(id);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
