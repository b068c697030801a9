package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * What the request side leaves out before confirming, each with the case it must not leave out:
 * header-buffer triggers that can only be at the buffer's start anchored there, address-only rules found by their
 * narrower side, and the head buffers made from each other's bytes.
 */
class RequestSideShortcutsTest {

    @TempDir
    Path tmp;
    LoadedRules loaded;
    IpsEngine engine;
    CompiledRules compiled;

    @AfterEach
    void close() {
        if (loaded != null) {
            loaded.close();
        }
    }

    private void load(String... rules) throws Exception {
        loaded = LoadedRules.of(tmp, rules);
        engine = loaded.engine();
        compiled = loaded.compiled();
    }

    /** The sids whose trigger Hyperscan reports in {@code text} as buffer {@code b}. */
    private Set<Long> triggered(Buffer b, String text) {
        Set<Long> sids = new TreeSet<>();
        compiled.header(b).scan(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)), (id, from, to) -> {
            sids.add(compiled.rules[id].rule.sid());
            return true;
        });
        return sids;
    }

    private String sids(InspectionRequest request) {
        try (Inspection i = engine.inspect(request)) {
            i.endOfBody(Direction.REQUEST);
            return String.join(",", new TreeSet<>(i.verdict().findings().stream().map(f -> f.ruleId()).toList()));
        }
    }

    private InspectionRequest toHost(String host, String path) throws Exception {
        return InspectionRequest.http("GET", "http://" + host + path)
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80)).build();
    }

    @Test
    void aHeaderTriggerThatCanOnlyBeAtTheStartIsReportedOnlyThere() throws Exception {
        load("alert http any any -> any any (msg:\"host starts with 5\"; http.host; content:\"5\"; depth:1; "
                        + "pcre:\"/^5\\d{0,2}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$/\"; sid:1;)",
                "alert http any any -> any any (msg:\"startswith\"; http.uri; content:\"/adm\"; startswith; sid:2;)",
                "alert http any any -> any any (msg:\"at 3-6\"; http.uri; content:\"/x\"; offset:3; depth:4; sid:3;)",
                "alert http any any -> any any (msg:\"relative\"; http.uri; content:\"/a\"; depth:2; content:\"/b\"; distance:0; "
                        + "within:2; fast_pattern; sid:4;)");
        // The dotted-quad host rule: not a candidate where a 5 is elsewhere in the host ...
        assertThat(triggered(Buffer.HTTP_HOST, "198.51.100.5")).isEmpty();
        assertThat(sids(toHost("198.51.100.5", "/"))).isEmpty();
        // ... but where it is the first byte: a candidate, and it fires.
        assertThat(triggered(Buffer.HTTP_HOST, "51.100.5.9")).containsExactly(1L);
        assertThat(sids(toHost("51.100.5.9", "/"))).isEqualTo("sid:1");
        assertThat(triggered(Buffer.HTTP_URI, "/x/adm")).doesNotContain(2L);
        assertThat(triggered(Buffer.HTTP_URI, "/adm/x")).contains(2L);
        assertThat(sids(toHost("example.jp", "/adm/y"))).isEqualTo("sid:2");
        assertThat(sids(toHost("example.jp", "/y/adm"))).isEmpty();
        // Another place (offset 3, depth 4) is not given to Hyperscan: found anywhere, confirmation decides.
        assertThat(triggered(Buffer.HTTP_URI, "/x/x")).containsExactly(3L);
        assertThat(sids(toHost("example.jp", "/x/x"))).isEmpty();
        assertThat(sids(toHost("example.jp", "/abcd/x"))).isEqualTo("sid:3");
        assertThat(sids(toHost("example.jp", "/abcde/x"))).isEmpty();
        // Nor is a relative trigger's: it has no place of its own.
        assertThat(triggered(Buffer.HTTP_URI, "/q/a/b")).containsExactly(4L);
        assertThat(sids(toHost("example.jp", "/a/b"))).isEqualTo("sid:4");
        assertThat(sids(toHost("example.jp", "/q/a/b"))).isEmpty();
    }

    @Test
    void addressListsAreFoundAtEveryPrefixLengthThoughMostLookUpsAreSkippedByTheFirst16Bits() throws Exception {
        load("alert ip $HOME_NET any -> [10.0.0.0/8] any (msg:\"a /8\"; sid:1;)",
                "alert ip $HOME_NET any -> [172.16.0.0/12] any (msg:\"a /12\"; sid:2;)",
                "alert ip $HOME_NET any -> [198.51.0.0/16] any (msg:\"a /16\"; sid:3;)",
                "alert ip $HOME_NET any -> [203.0.113.0/24] any (msg:\"a /24\"; sid:4;)",
                "alert ip $HOME_NET any -> [203.0.113.128/25,203.0.114.9] any (msg:\"a /25 and a host\"; sid:5;)",
                "alert ip $HOME_NET any -> [0.0.0.0/0] any (msg:\"everything\"; sid:6;)");
        byte[] client = InetAddress.getByName("192.168.1.5").getAddress();
        String[][] cases = {
                {"10.200.3.4", "1,6"}, {"172.31.255.255", "2,6"}, {"172.32.0.1", "6"}, {"198.51.255.1", "3,6"},
                {"198.50.0.1", "6"}, {"203.0.113.5", "4,6"}, {"203.0.113.200", "4,5,6"}, {"203.0.114.9", "5,6"},
                {"203.0.114.10", "6"}, {"203.0.112.255", "6"}, {"8.8.8.8", "6"}};
        for (String[] c : cases) {
            Set<Long> found = new TreeSet<>();
            compiled.headerOnly.candidates(client, InetAddress.getByName(c[0]).getAddress(),
                    r -> found.add(compiled.rules[r].rule.sid()));
            assertThat(found).as(c[0]).containsExactlyElementsOf(
                    java.util.Arrays.stream(c[1].split(",")).map(Long::valueOf).toList());
        }
    }

    @Test
    void anAddressOnlyRuleIsLookedUpByItsNarrowerSideAndStillFiresFromEither() throws Exception {
        load("alert ip $HOME_NET any -> [192.0.2.99] any (msg:\"to one server\"; sid:1;)",
                "alert ip [203.0.113.7] any -> $HOME_NET any (msg:\"from one host\"; sid:2;)");
        byte[] client = InetAddress.getByName("192.168.1.5").getAddress();
        List<Integer> found = new ArrayList<>();
        compiled.headerOnly.candidates(client, InetAddress.getByName("192.0.2.98").getAddress(), found::add);
        assertThat(found).as("a home client alone is no reason to try either rule").isEmpty();
        compiled.headerOnly.candidates(client, InetAddress.getByName("192.0.2.99").getAddress(), found::add);
        assertThat(found).hasSize(1);
        // Must not skip: the listed server, and the listed source whether it is the client or the server.
        InspectionRequest out = InspectionRequest.tls("c2.example").connection(IpsEngineTest.connection("192.168.1.5", 40000, "192.0.2.99", 443)).build();
        assertThat(sids(out)).isEqualTo("sid:1");
        InspectionRequest in = InspectionRequest.tls("x.example").connection(IpsEngineTest.connection("203.0.113.7", 40000, "192.168.1.20", 443)).build();
        assertThat(sids(in)).isEqualTo("sid:2");
        InspectionRequest back = IpsEngineTest.outbound("GET", "http://203.0.113.7/").connection(
                IpsEngineTest.connection("192.168.1.10", 50123, "203.0.113.7", 80)).build();
        try (Inspection i = engine.inspect(back)) {
            i.endOfBody(Direction.REQUEST);
            assertThat(i.verdict().finding()).as("no response yet").isEmpty();
            i.headers(Direction.RESPONSE, List.of(new Header(":status-line", "HTTP/1.1 200 OK")));
            assertThat(i.verdict().finding().map(f -> f.ruleId())).contains("sid:2");
        }
    }

    @Test
    void theHeadBuffersMadeFromEachOthersBytesAreTheirTexts() throws Exception {
        InspectionRequest request = InspectionRequest.http("POST", "http://Example.JP:8080/a%41b?q=%2f#frag")
                .header("Host", "Example.JP:8080").header("User-Agent", "curl/8").header("Cookie", "a=1").header("Cookie", "b=2")
                .header(":authority", "pseudo").connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 8080))
                .build();
        IpsExchange exchange = new IpsExchange(request) { };
        for (Buffer b : Buffer.values()) {
            if (b.responseHead() || b.tlsCertificate() || b.tlsClientHello() || b == Buffer.RAW || b == Buffer.HTTP_REQUEST_BODY
                    || b == Buffer.HTTP_RESPONSE_BODY) {
                continue;
            }
            byte[] expected = CompiledRules.latin1(HttpBuffers.text(b, request, null));
            if (b == Buffer.HTTP_URI) {
                expected = HttpBuffers.percentDecoded(expected);
            }
            assertThat(new String(exchange.headerBytes(b), StandardCharsets.ISO_8859_1)).as(b.name())
                    .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        }
        assertThat(new String(exchange.headerBytes(Buffer.HTTP_URI), StandardCharsets.ISO_8859_1)).isEqualTo("/aAb?q=/");
        assertThat(new String(exchange.rawRequestHead().bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "POST /a%41b?q=%2f HTTP/1.1\r\nHost: Example.JP:8080\r\nUser-Agent: curl/8\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n");
        assertThat(exchange.headerView(Buffer.HTTP_URI)).as("made once").isSameAs(exchange.headerView(Buffer.HTTP_URI));
        assertThat(exchange.headerView(Buffer.TLS_SNI)).as("none for HTTP").isSameAs(ByteView.EMPTY);
        // The response's head: with a status line and headers, with the status line alone, with headers and no status line.
        List<List<Header>> responses = List.of(
                List.of(new Header(":status-line", "HTTP/1.1 200 OK"), new Header("Server", "nginx"), new Header("Set-Cookie", "s=1")),
                List.of(new Header(":status-line", "HTTP/1.1 204 No Content")),
                List.of(new Header("Content-Type", "text/html")));
        for (List<Header> response : responses) {
            IpsExchange answered = new IpsExchange(request) { };
            answered.responseHeaders = response;
            for (Buffer b : Buffer.values()) {
                if (b.responseHead()) {
                    assertThat(new String(answered.headerBytes(b), StandardCharsets.ISO_8859_1)).as(b + " of " + response)
                            .isEqualTo(HttpBuffers.text(b, request, response));
                }
            }
        }
    }

    @Test
    void aMethodContentIsNotTheTriggerWhenAnotherHeaderContentIsAsLong() throws Exception {
        load("alert http any any -> any any (msg:\"asd\"; http.method; content:\"GET\"; http.user_agent; content:\"asd\"; "
                + "nocase; depth:3; endswith; sid:1;)",
                "alert http any any -> any any (msg:\"POST x\"; http.method; content:\"POST\"; http.uri; content:\"/x\"; sid:2;)",
                "alert http any any -> any any (msg:\"GET body\"; http.method; content:\"GET\"; file.data; content:\"abc\"; sid:3;)");
        // Not every GET a candidate: the user agent's content, as long as the method's, is the trigger ...
        assertThat(triggered(Buffer.HTTP_METHOD, "GET")).containsExactly(3L);
        assertThat(triggered(Buffer.HTTP_USER_AGENT, "ASD")).containsExactly(1L);
        // ... a longer method content stays the trigger, and so does one beside a body's content (reported once, not per body)
        assertThat(triggered(Buffer.HTTP_METHOD, "POST")).containsExactly(2L);
        // and the rule fires as before: on GET with that agent only.
        InspectionRequest.Builder get = InspectionRequest.http("GET", "http://example.jp/")
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80));
        assertThat(sids(get.header("User-Agent", "aSd").build())).isEqualTo("sid:1");
        assertThat(sids(InspectionRequest.http("POST", "http://example.jp/").header("User-Agent", "asd")
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80)).build())).isEmpty();
        assertThat(sids(InspectionRequest.http("GET", "http://example.jp/").header("User-Agent", "Mozilla/5.0 asd")
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80)).build())).isEmpty();
    }
}
