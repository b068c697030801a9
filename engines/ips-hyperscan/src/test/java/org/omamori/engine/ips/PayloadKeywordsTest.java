package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.RuleParseException;
import org.omamori.engine.ips.rules.RuleParser;
import org.omamori.engine.ips.rules.Variables;

/**
 * The payload keywords that read bytes or sizes, the HTTP head buffers and thresholds, each on
 * bytes where a wrong reading (endianness, relative position, window) gives another answer.
 */
class PayloadKeywordsTest {

    @TempDir
    Path tmp;
    IpsEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void load(String... rules) throws Exception {
        engine = IpsEngineTest.loaded(IpsEngineTest.rulesFile(tmp, rules));
        assertThat(engine.report().errors()).isEmpty();
    }

    private String sidFor(String uri) throws Exception {
        return sid(IpsEngineTest.outbound("GET", "http://example.jp" + uri).build(), null);
    }

    private String sid(InspectionRequest request, List<Header> responseHeaders) {
        try (Inspection i = engine.inspect(request)) {
            if (responseHeaders != null) {
                i.headers(Direction.RESPONSE, responseHeaders);
            }
            i.endOfBody(Direction.REQUEST);
            Verdict v = i.verdict();
            return v.finding().map(f -> f.ruleId()).orElse("");
        }
    }

    @Test
    void byteTestReadsBigEndianUnlessLittle() throws Exception {
        load("alert http any any -> any any (msg:\"big\"; http.uri; content:\"/v\"; byte_test:2,=,0x4142,0,relative; sid:1;)",
                "alert http any any -> any any (msg:\"little\"; http.uri; content:\"/w\"; byte_test:2,=,0x4142,0,relative,little; sid:2;)");
        assertThat(sidFor("/vAB")).isEqualTo("sid:1");
        assertThat(sidFor("/vBA")).isEmpty();
        assertThat(sidFor("/wBA")).isEqualTo("sid:2");
        assertThat(sidFor("/wAB")).isEmpty();
    }

    @Test
    void byteTestStringDecimalAbsoluteAndRelativeWithBitmaskAndNegation() throws Exception {
        load("alert http any any -> any any (msg:\"len\"; http.uri; content:\"len=\"; byte_test:3,>,100,0,relative,string,dec; sid:1;)",
                "alert http any any -> any any (msg:\"abs\"; http.uri; content:\"/b\"; byte_test:1,&,0x0f,2,bitmask 0xf0; sid:2;)",
                "alert http any any -> any any (msg:\"neg\"; http.uri; content:\"/n\"; byte_test:1,!=,0x41,2; sid:3;)");
        assertThat(sidFor("/a?len=150")).isEqualTo("sid:1");
        assertThat(sidFor("/a?len=099")).isEmpty();
        assertThat(sidFor("/a?len=1x0")).as("every byte a digit").isEmpty();
        assertThat(sidFor("/a?len=15")).as("not enough bytes").isEmpty();
        // 'p' = 0x70: masked with 0xf0 and shifted right by 4 gives 7, and 7 & 0x0f != 0; '\t'-like 0x0A gives 0
        assertThat(sidFor("/bp")).isEqualTo("sid:2");
        assertThat(sidFor("/b%0A")).isEmpty();
        assertThat(sidFor("/nB")).isEqualTo("sid:3");
        assertThat(sidFor("/nA")).isEmpty();
    }

    @Test
    void isDataAtAbsoluteRelativeAndNegated() throws Exception {
        load("alert http any any -> any any (msg:\"end\"; http.uri; content:\"/x\"; isdataat:!1,relative; sid:1;)",
                "alert http any any -> any any (msg:\"two\"; http.uri; content:\"/y\"; isdataat:2,relative; sid:2;)",
                "alert http any any -> any any (msg:\"abs\"; http.uri; content:\"/z\"; isdataat:3; sid:3;)");
        assertThat(sidFor("/x")).isEqualTo("sid:1");
        assertThat(sidFor("/xy")).isEmpty();
        assertThat(sidFor("/yab")).as("end + 2 <= length").isEqualTo("sid:2");
        assertThat(sidFor("/ya")).isEmpty();
        assertThat(sidFor("/zab")).as("a byte at position 3").isEqualTo("sid:3");
        assertThat(sidFor("/za")).isEmpty();
    }

    @Test
    void byteJumpMovesTheCursorPastTheBytesReadByTheValue() throws Exception {
        load("alert http any any -> any any (msg:\"jump\"; http.uri; content:\"/j\"; byte_jump:1,0,relative,string,dec; "
                + "content:\"Z\"; within:1; sid:1;)",
                "alert http any any -> any any (msg:\"start\"; http.uri; content:\"/k\"; byte_jump:1,2,from_beginning,string,dec,post_offset 1; "
                + "content:\"Q\"; within:1; sid:2;)");
        assertThat(sidFor("/j3abcZ")).isEqualTo("sid:1");
        assertThat(sidFor("/j2abcZ")).isEmpty();
        assertThat(sidFor("/j9Z")).as("a jump past the end").isEmpty();
        assertThat(sidFor("/k4abQ")).as("from the start: 4 + 1").isEqualTo("sid:2");
        assertThat(sidFor("/k3abQ")).isEmpty();
    }

    @Test
    void byteExtractAndByteMathSetVariablesLaterKeywordsRead() throws Exception {
        load("alert http any any -> any any (msg:\"extract\"; http.uri; content:\"/e\"; byte_extract:1,0,n,relative,string,dec; "
                + "byte_test:1,=,n,0,relative,string,dec; sid:1;)",
                "alert http any any -> any any (msg:\"math\"; http.uri; content:\"/m\"; "
                + "byte_math:bytes 1, offset 0, oper +, rvalue 1, result r, relative, string dec; "
                + "byte_test:1,=,r,1,relative,string,dec; sid:2;)");
        assertThat(sidFor("/e33")).isEqualTo("sid:1");
        assertThat(sidFor("/e34")).isEmpty();
        assertThat(sidFor("/m34")).as("3 + 1, the cursor not moved by byte_math").isEqualTo("sid:2");
        assertThat(sidFor("/m35")).isEmpty();
    }

    @Test
    void uriLengthAndBufferSizeAndEndsWith() throws Exception {
        load("alert http any any -> any any (msg:\"short\"; http.uri; content:\"/u\"; urilen:<5; sid:1;)",
                "alert http any any -> any any (msg:\"range\"; http.uri; content:\"/r\"; urilen:3<>6; sid:2;)",
                "alert http any any -> any any (msg:\"ua\"; http.user_agent; content:\"bot\"; endswith; bsize:6; sid:3;)");
        assertThat(sidFor("/uab")).isEqualTo("sid:1");
        assertThat(sidFor("/uabc")).isEmpty();
        assertThat(sidFor("/rab")).as("4 is inside 3<>6").isEqualTo("sid:2");
        assertThat(sidFor("/rabcd")).as("6 is not").isEmpty();
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("User-Agent", "my-bot").build(), null)).isEqualTo("sid:3");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("User-Agent", "my-bots").build(), null)).isEmpty();
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("User-Agent", "a-bot").build(), null))
                .as("ends with bot but 5 bytes").isEmpty();
    }

    @Test
    void dotPrefixWithEndsWithMatchesADomainAndItsSubdomainsOnly() throws Exception {
        load("alert dns any any -> any any (msg:\"c2 domain\"; dns.query; dotprefix; content:\".evil.example\"; endswith; sid:1;)");
        assertThat(sid(InspectionRequest.dns("evil.example").connection(IpsEngineTest.connection("192.168.1.5", 5353, "192.0.2.53", 53)).build(), null))
                .isEqualTo("sid:1");
        assertThat(sid(InspectionRequest.dns("a.evil.example").connection(IpsEngineTest.connection("192.168.1.5", 5353, "192.0.2.53", 53)).build(), null))
                .isEqualTo("sid:1");
        assertThat(sid(InspectionRequest.dns("notevil.example").connection(IpsEngineTest.connection("192.168.1.5", 5353, "192.0.2.53", 53)).build(), null))
                .isEmpty();
        assertThat(sid(InspectionRequest.dns("evil.example.jp").connection(IpsEngineTest.connection("192.168.1.5", 5353, "192.0.2.53", 53)).build(), null))
                .isEmpty();
    }

    @Test
    void httpHeadBuffersOfTheRequestAndOfTheResponse() throws Exception {
        load("alert http any any -> any any (msg:\"names\"; flow:to_server; http.header_names; content:\"|0d 0a|Host|0d 0a|X-Evil|0d 0a 0d 0a|\"; sid:1;)",
                "alert http any any -> any any (msg:\"cookie\"; flow:to_server; content:\"sess=bad\"; http_cookie; sid:2;)",
                "alert http any any -> any any (msg:\"status\"; flow:to_client; http.stat_code; content:\"404\"; "
                + "http.header; content:\"Server: evil\"; sid:3;)",
                "alert http any any -> any any (msg:\"uri and status\"; flow:to_client; http.uri; content:\"/gate.php\"; "
                + "http.stat_code; content:\"200\"; sid:4;)",
                "alert http any any -> any any (msg:\"line\"; flow:to_server; http.request_line; content:\"POST /up HTTP/1.1\"; sid:5;)");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("Host", "example.jp").header("X-Evil", "1").build(), null))
                .isEqualTo("sid:1");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("Host", "example.jp").header("X-Evil", "1")
                .header("Accept", "*/*").build(), null)).as("X-Evil is not the last name").isEmpty();
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("Cookie", "a=1; sess=bad").build(), null)).isEqualTo("sid:2");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/").header("X-Cookie", "sess=bad").build(), null)).isEmpty();
        List<Header> notFound = List.of(new Header(":status-line", "HTTP/1.1 404 Not Found"), new Header("Server", "evil"));
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/x").build(), notFound)).isEqualTo("sid:3");
        List<Header> found = List.of(new Header(":status-line", "HTTP/1.1 200 OK"), new Header("Server", "evil"));
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/x").build(), found)).isEmpty();
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/gate.php").build(), found))
                .as("the request's uri and the response's status in one rule").isEqualTo("sid:4");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/gate.php").build(),
                List.of(new Header(":status-line", "HTTP/1.1 404 Not Found")))).isEmpty();
        assertThat(sid(IpsEngineTest.outbound("POST", "http://example.jp/up").build(), null)).isEqualTo("sid:5");
        assertThat(sid(IpsEngineTest.outbound("GET", "http://example.jp/up").build(), null)).isEmpty();
    }

    @Test
    void dsizeIsTheDirectionsWholePayloadOnceItEnded() throws Exception {
        load("alert tcp any any -> any any (msg:\"small\"; flow:to_server; content:\"PING\"; dsize:<60; sid:1;)");
        // "GET /PING HTTP/1.1\r\n\r\n": 22 bytes
        assertThat(sidFor("/PING")).isEqualTo("sid:1");
        assertThat(sidFor("/PING" + "a".repeat(60))).isEmpty();
    }

    @Test
    void thresholdLimitCountsPerSourceInItsWindowAndCountsWhatItHoldsBack() throws Exception {
        load("alert http any any -> any any (msg:\"limited\"; http.uri; content:\"/t\"; threshold: type limit, track by_src, count 2, seconds 60; sid:1;)");
        AtomicLong now = new AtomicLong(1_000_000_000L);
        engine.thresholds().clock(now::get);
        InspectionRequest fromA = IpsEngineTest.inbound("GET", "http://shop.example.jp/t").build();
        assertThat(sid(fromA, null)).isEqualTo("sid:1");
        assertThat(sid(fromA, null)).isEqualTo("sid:1");
        assertThat(sid(fromA, null)).as("third in the window").isEmpty();
        assertThat(engine.thresholdSuppressed()).isEqualTo(1);
        InspectionRequest fromB = IpsEngineTest.outbound("GET", "http://shop.example.jp/t").build();
        assertThat(sid(fromB, null)).as("another source has its own count").isEqualTo("sid:1");
        now.addAndGet(60_000_000_000L);
        assertThat(sid(fromA, null)).as("60 s later: still the window (inclusive)").isEmpty();
        now.addAndGet(1_000_000_000L);
        assertThat(sid(fromA, null)).as("a new window").isEqualTo("sid:1");
        assertThat(engine.thresholdSuppressed()).isEqualTo(2);
    }

    @Test
    void thresholdTypeThresholdBothAndDetectionFilter() throws Exception {
        load("alert http any any -> any any (msg:\"every 3rd\"; http.uri; content:\"/th\"; threshold: type threshold, track by_rule, count 3, seconds 60; sid:1;)",
                "alert http any any -> any any (msg:\"once\"; http.uri; content:\"/bo\"; threshold: type both, track by_dst, count 2, seconds 60; sid:2;)",
                "alert http any any -> any any (msg:\"after 2\"; http.uri; content:\"/df\"; detection_filter: track by_src, count 2, seconds 60; sid:3;)");
        AtomicLong now = new AtomicLong(5_000_000_000L);
        engine.thresholds().clock(now::get);
        StringBuilder th = new StringBuilder();
        StringBuilder bo = new StringBuilder();
        StringBuilder df = new StringBuilder();
        for (int k = 0; k < 6; k++) {
            th.append(sidFor("/th").isEmpty() ? '.' : 'A');
            bo.append(sidFor("/bo").isEmpty() ? '.' : 'A');
            df.append(sidFor("/df").isEmpty() ? '.' : 'A');
            now.addAndGet(1_000_000_000L);
        }
        assertThat(th.toString()).isEqualTo("..A..A");
        assertThat(bo.toString()).isEqualTo(".A....");
        assertThat(df.toString()).isEqualTo("..AAAA");
        assertThat(engine.thresholdSuppressed()).isEqualTo(4 + 5 + 2);
    }

    @Test
    void aWrongPayloadKeywordIsAFailureWithItsLineNeverASkip() {
        RuleParser parser = new RuleParser(Variables.defaults());
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (http.uri; content:\"a\"; byte_test:1,?,1,0; sid:1;)", "x.rules", 7))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("x.rules:7").hasMessageContaining("operator");
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (http.uri; content:\"a\"; byte_test:1,=,nope,0; sid:1;)", "x.rules", 8))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("variable");
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (content:\"a\"; threshold: type limit, track by_src; sid:1;)", "x.rules", 9))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (content:\"a\"; isdataat:x1; sid:1;)", "x.rules", 10))
                .isInstanceOf(RuleParseException.class);
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (content:\"a\"; bsize:3; sid:1;)", "x.rules", 11))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("sticky");
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (content:\"a\"; xbits:set,a; sid:1;)", "x.rules", 12))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("xbits");
        assertThatThrownBy(() -> parser.parse("alert http any any -> any any (content:\"a\"; xbits:set,a,track ip_any; sid:1;)", "x.rules", 13))
                .isInstanceOf(RuleParseException.class).hasMessageContaining("track");
    }

    @Test
    void addressOnlyRulesFireOnEveryExchangeTheirAddressesHaveOncePerWindow() throws Exception {
        load("alert ip [203.0.113.7,198.51.100.0/24] any -> $HOME_NET any (msg:\"known bad source\"; "
                + "threshold: type limit, track by_src, seconds 3600, count 1; sid:1;)",
                "alert ip $HOME_NET any -> [192.0.2.99] any (msg:\"c2 address\"; sid:2;)");
        AtomicLong now = new AtomicLong(1_000_000_000L);
        engine.thresholds().clock(now::get);
        // 203.0.113.7 reaches a server in the office: the request comes from the listed source
        assertThat(sid(IpsEngineTest.inbound("GET", "http://shop.example.jp/").build(), null)).isEqualTo("sid:1");
        assertThat(sid(IpsEngineTest.inbound("GET", "http://shop.example.jp/").build(), null)).as("limit 1 an hour").isEmpty();
        // an office client fetches from 198.51.100.5 (in the listed /24): the response comes from it
        InspectionRequest out = IpsEngineTest.outbound("GET", "http://198.51.100.5/").build();
        assertThat(sid(out, null)).as("no response yet").isEmpty();
        assertThat(sid(out, List.of(new Header(":status-line", "HTTP/1.1 200 OK")))).isEqualTo("sid:1");
        InspectionRequest c2 = InspectionRequest.tls("c2.example").connection(IpsEngineTest.connection("192.168.1.5", 40000, "192.0.2.99", 443)).build();
        assertThat(sid(c2, null)).isEqualTo("sid:2");
        InspectionRequest other = InspectionRequest.tls("ok.example").connection(IpsEngineTest.connection("192.168.1.5", 40000, "192.0.2.98", 443)).build();
        assertThat(sid(other, null)).isEmpty();
        assertThat(engine.report().patterns()).as("address-only rules are no Hyperscan pattern").isZero();
    }

    @Test
    void addressOnlyRulesFindTheirBlocksAtEveryPrefixLength() throws Exception {
        load("alert ip $HOME_NET any -> [10.0.0.0/8,172.16.0.0/12,192.0.2.129/25,198.51.100.77] any (msg:\"v4 blocks\"; sid:1;)",
                "alert ip $HOME_NET any -> [2001:db8:ab00::/40] any (msg:\"v6 block\"; sid:2;)");
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("10.255.1.2", "sid:1");
        expected.put("11.0.0.1", "");
        expected.put("172.31.255.255", "sid:1");
        expected.put("172.32.0.0", "");
        expected.put("192.0.2.128", "sid:1"); // the block of 192.0.2.129/25 is 192.0.2.128-255
        expected.put("192.0.2.127", "");
        expected.put("198.51.100.77", "sid:1");
        expected.put("198.51.100.78", "");
        expected.put("2001:db8:abff::1", "sid:2");
        expected.put("2001:db8:ac00::1", "");
        for (var e : expected.entrySet()) {
            InspectionRequest r = InspectionRequest.tls("x.example").connection(IpsEngineTest.connection(
                    e.getKey().contains(":") ? "fd00::5" : "192.168.1.5", 40000, e.getKey(), 443)).build();
            assertThat(sid(r, null)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void xbitsSetOnOneConnectionAreSeenOnAnotherUntilTheyExpire() throws Exception {
        load("alert http any any -> any any (msg:\"mark the server\"; flow:to_server; http.uri; content:\"/stage1\"; "
                + "xbits:set,ET.stage,track ip_dst,expire 10; noalert; sid:1;)",
                "alert http any any -> any any (msg:\"its answer later\"; flow:to_client; file.data; content:\"payload\"; "
                + "xbits:isset,ET.stage,track ip_src; sid:2;)");
        AtomicLong now = new AtomicLong(1_000_000_000L);
        engine.thresholds().clock(now::get);
        assertThat(answer("/other")).as("no bit yet").isEmpty();
        assertThat(answer("/stage1")).as("set on the request; noalert").isEqualTo("sid:2");
        assertThat(answer("/next")).as("another connection to the same server").isEqualTo("sid:2");
        now.addAndGet(10_000_000_000L);
        assertThat(answer("/next")).as("expired after 10 s").isEmpty();
    }

    /** A request to 198.51.100.5 and a response body with "payload". */
    private String answer(String uri) throws Exception {
        try (Inspection i = engine.inspect(IpsEngineTest.outbound("GET", "http://198.51.100.5" + uri).build())) {
            i.endOfBody(Direction.REQUEST);
            i.headers(Direction.RESPONSE, List.of(new Header("Content-Type", "text/plain")));
            i.body(Direction.RESPONSE, ByteBuffer.wrap("the payload".getBytes(StandardCharsets.US_ASCII)));
            i.endOfBody(Direction.RESPONSE);
            return i.verdict().finding().map(f -> f.ruleId()).orElse("");
        }
    }
}
