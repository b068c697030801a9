package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {

    private final RuleParser parser = new RuleParser(Variables.defaults());

    private Rule rule(String options) throws RuleParseException {
        return parsed("alert http any any -> any any (" + options + ")");
    }

    private Rule parsed(String text) throws RuleParseException {
        ParseOutcome o = parser.parse(text, "t.rules", 7);
        assertThat(o).as("outcome of %s", text).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed) o).rule();
    }

    private ParseOutcome.Skipped skipped(String text) throws RuleParseException {
        ParseOutcome o = parser.parse(text, "t.rules", 7);
        assertThat(o).as("outcome of %s", text).isInstanceOf(ParseOutcome.Skipped.class);
        return (ParseOutcome.Skipped) o;
    }

    private void fails(String text, String message) {
        assertThatThrownBy(() -> parser.parse(text, "t.rules", 12))
                .isInstanceOf(RuleParseException.class)
                .hasMessage("t.rules:12: " + message);
    }

    private static Content content(Rule r, int i) {
        return (Content) r.matches().get(i);
    }

    private static String text(Content c) {
        return new String(c.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsHeaderAndIdentity() throws Exception {
        Rule r = parsed("drop tcp $HOME_NET 1024: <> $EXTERNAL_NET [80,443] (msg:\"ET TEST \\\"quoted\\\" \\; semi\"; "
                + "sid:2000001; rev:3; classtype:trojan-activity; priority:2; reference:url,example.com/a; "
                + "metadata: created_at 2026_11_23, former_category MALWARE, Tag a, tag b;)");
        assertThat(r.action()).isEqualTo(RuleAction.DROP);
        assertThat(r.protocol()).isEqualTo(RuleProtocol.TCP);
        assertThat(r.bidirectional()).isTrue();
        assertThat(r.msg()).isEqualTo("ET TEST \"quoted\" ; semi");
        assertThat(r.sid()).isEqualTo(2000001);
        assertThat(r.rev()).isEqualTo(3);
        assertThat(r.classtype()).isEqualTo("trojan-activity");
        assertThat(r.priority()).isEqualTo(2);
        assertThat(r.references()).containsExactly("url,example.com/a");
        assertThat(r.metadata()).containsEntry("created_at", List.of("2026_11_23"))
                .containsEntry("former_category", List.of("MALWARE"))
                .containsEntry("tag", List.of("a", "b"));
        assertThat(r.origin()).isEqualTo(new Rule.Origin("t.rules", 7));
        assertThat(r.sourcePorts().matches(1023)).isFalse();
        assertThat(r.sourcePorts().matches(1024)).isTrue();
        assertThat(r.destinationPorts().matches(443)).isTrue();
        assertThat(r.destinationPorts().matches(8443)).isFalse();
    }

    @Test
    void revDefaultsToOneAndPriorityToNone() throws Exception {
        Rule r = rule("sid:5;");
        assertThat(r.rev()).isEqualTo(1);
        assertThat(r.priority()).isZero();
        assertThat(r.classtype()).isEmpty();
        assertThat(r.flow()).isEqualTo(Flow.ANY);
    }

    @ParameterizedTest
    @CsvSource({"alert,ALERT", "drop,DROP", "reject,REJECT", "pass,PASS"})
    void actions(String word, RuleAction action) throws Exception {
        assertThat(parsed(word + " ip any any -> any any (sid:1;)").action()).isEqualTo(action);
    }

    @ParameterizedTest
    @CsvSource({"tcp,TCP", "udp,UDP", "ip,IP", "http,HTTP", "dns,DNS", "tls,TLS", "TCP,TCP"})
    void protocols(String word, RuleProtocol protocol) throws Exception {
        assertThat(parsed("alert " + word + " any any -> any any (sid:1;)").protocol()).isEqualTo(protocol);
    }

    @Test
    void otherProtocolsAreSkipped() throws Exception {
        ParseOutcome.Skipped s = skipped("alert icmp any any -> any any (msg:\"ping\"; itype:8; sid:42;)");
        assertThat(s.keyword()).isEqualTo("protocol:icmp");
        assertThat(s.reason()).isEqualTo("sid 42: protocol icmp is not supported");
        assertThat(skipped("rejectboth tcp any any -> any any (sid:1;)").keyword()).isEqualTo("action:rejectboth");
    }

    @Test
    void headerErrors() {
        fails("alert tcp any any -> any any sid:1;", "missing '(' before the options");
        fails("alert tcp any any -> any any (sid:1;", "rule does not end with ')'");
        fails("alert tcp any -> any any (sid:1;)",
                "header needs 7 fields (action protocol source port direction destination port), found 6: 'alert tcp any -> any any'");
        fails("yell tcp any any -> any any (sid:1;)", "unknown action 'yell'");
        fails("alert tcp any any <- any any (sid:1;)", "bad direction '<-', expected '->' or '<>'");
        fails("alert t*p any any -> any any (sid:1;)", "bad protocol 't*p'");
        fails("alert tcp $NOPE any -> any any (sid:1;)", "source address: undefined variable $NOPE");
        fails("alert tcp any any -> any $HOME_NET (sid:1;)", "destination port: $HOME_NET is not an port variable");
        fails("alert tcp 10.0.0.300 any -> any any (sid:1;)", "source address: bad address '10.0.0.300'");
        fails("alert tcp any 70000 -> any any (sid:1;)", "source port: port 70000 out of range in '70000'");
        fails("alert tcp any 90:80 -> any any (sid:1;)", "source port: bad port range '90:80': 90 > 80");
        fails("alert tcp [1.2.3.4 any -> any any (sid:1;)",
                "header needs 7 fields (action protocol source port direction destination port), found 3: 'alert tcp [1.2.3.4 any -> any any'");
        fails("alert tcp !any any -> any any (sid:1;)", "source address: !any matches no address");
        fails("", "empty rule");
    }

    @Test
    void sidIsRequiredAndChecked() {
        fails("alert tcp any any -> any any (msg:\"x\";)", "missing sid");
        fails("alert tcp any any -> any any (sid:abc;)", "sid: not a number 'abc'");
        fails("alert tcp any any -> any any (sid:0;)", "sid: 0 out of range 1..4294967295");
        fails("alert tcp any any -> any any (sid:1; sid:2;)", "sid: given twice");
        fails("alert tcp any any -> any any (sid:1; priority:0;)", "priority: 0 out of range 1..255");
        fails("alert tcp any any -> any any (sid:1; reference:nocomma;)", "reference: expected type,value but found 'nocomma'");
        fails("alert tcp any any -> any any (sid:1; classtype:bad class;)", "classtype: bad name 'bad class'");
    }

    @Test
    void contentWithHexEscapesAndNegation() throws Exception {
        Rule r = rule("content:\"GET |20 2F|a\\;b\\\"c\\\\d|3a|\"; content:!\"x|0d0a|\"; sid:1;");
        assertThat(text(content(r, 0))).isEqualTo("GET  /a;b\"c\\d:");
        assertThat(content(r, 0).negated()).isFalse();
        assertThat(text(content(r, 1))).isEqualTo("x\r\n");
        assertThat(content(r, 1).negated()).isTrue();
        assertThat(content(r, 0).buffer()).isEqualTo(Buffer.RAW);
    }

    @Test
    void contentIsUtf8() throws Exception {
        assertThat(content(rule("content:\"日本\"; sid:1;"), 0).bytes()).isEqualTo("日本".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void contentErrors() {
        fails("alert tcp any any -> any any (content:\"ab|41 4\"; sid:1;)", "content: unterminated |hex| block");
        fails("alert tcp any any -> any any (content:\"|4|\"; sid:1;)", "content: odd number of hex digits in |hex| block");
        fails("alert tcp any any -> any any (content:\"|4G|\"; sid:1;)", "content: bad hex digit 'G' in |hex| block");
        fails("alert tcp any any -> any any (content:\"\"; sid:1;)", "content: empty");
        fails("alert tcp any any -> any any (content:abc; sid:1;)", "content: value must be in double quotes");
        fails("alert tcp any any -> any any (content:\"a; sid:1;)", "content: missing closing quote (an unescaped ';' ends the value)");
        fails("alert tcp any any -> any any (content:\"a;b\"; sid:1;)", "bad option name 'b\"'");
        fails("alert tcp any any -> any any (content:\"a\\nb\"; sid:1;)", "content: bad escape '\\n'");
        fails("alert tcp any any -> any any (content:\"a\"b\"; sid:1;)", "content: unescaped '\"' inside the text");
        fails("alert tcp any any -> any any (nocase; sid:1;)", "nocase: no content before it");
        fails("alert tcp any any -> any any (content:\"a\"; nocase:1; sid:1;)", "nocase: takes no value");
    }

    @Test
    void contentLongerThanTheLimitIsAnError() {
        // three UTF-8 bytes a character: over the content limit while the rule stays under its own
        String big = "日".repeat(RuleParser.MAX_CONTENT_LENGTH / 3 + 1);
        fails("alert tcp any any -> any any (content:\"" + big + "\"; sid:1;)",
                "content: longer than 65536 bytes");
    }

    @Test
    void modifiers() throws Exception {
        Rule r = rule("content:\"abc\"; nocase; offset:2; depth:10; fast_pattern; "
                + "content:\"def\"; distance:-1; within:20; content:\"g\"; fast_pattern:only; "
                + "content:\"h\"; fast_pattern:1,2; content:\"ij\"; startswith; sid:1;");
        Content a = content(r, 0);
        assertThat(a.nocase()).isTrue();
        assertThat(a.offset()).isEqualTo(OptionalInt.of(2));
        assertThat(a.depth()).isEqualTo(OptionalInt.of(10));
        assertThat(a.fastPattern()).isTrue();
        assertThat(a.relative()).isFalse();
        Content d = content(r, 1);
        assertThat(d.distance()).isEqualTo(OptionalInt.of(-1));
        assertThat(d.within()).isEqualTo(OptionalInt.of(20));
        assertThat(d.relative()).isTrue();
        assertThat(content(r, 2).fastPattern()).isTrue();
        assertThat(content(r, 3).fastPattern()).isTrue();
        assertThat(content(r, 4).offset()).isEqualTo(OptionalInt.of(0));
        assertThat(content(r, 4).depth()).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void modifierErrors() {
        fails("alert tcp any any -> any any (content:\"a\"; depth:x y; sid:1;)", "depth: not a number 'x y'");
        fails("alert tcp any any -> any any (content:\"a\"; depth:0; sid:1;)", "depth: 0 out of range 1..1048576");
        fails("alert tcp any any -> any any (content:\"a\"; depth:1; depth:2; sid:1;)", "depth: given twice for the same content");
        fails("alert tcp any any -> any any (content:\"a\"; distance:1; offset:2; sid:1;)",
                "offset: cannot be combined with distance or within on the same content");
        fails("alert tcp any any -> any any (content:\"a\"; depth:1; within:2; sid:1;)",
                "within: cannot be combined with offset or depth on the same content");
        fails("alert tcp any any -> any any (content:\"a\"; fast_pattern:sometimes; sid:1;)",
                "fast_pattern: expected nothing, 'only' or 'offset,length' but found 'sometimes'");
    }

    @Test
    void byteExtractVariablesAsContentPositionsAreSkippedAndUnknownOnesFail() throws Exception {
        ParseOutcome.Skipped s = skipped("alert tcp any any -> any any (content:\"a\"; byte_extract:1,0,len,relative; "
                + "content:\"b\"; within:len; sid:3;)");
        assertThat(s.keyword()).isEqualTo("content-variable");
        assertThat(s.reason()).isEqualTo("sid 3: within uses the variable len (a byte_extract value as a content position)");
        fails("alert tcp any any -> any any (content:\"a\"; within:len; sid:3;)",
                "within: variable 'len' is not set by a byte_extract or byte_math before it");
    }

    @Test
    void pcre() throws Exception {
        Rule r = rule("content:\"a\"; pcre:\"/^b[\\\"c](?:d\\;)/ismxR\"; pcre:!\"/x/U\"; sid:1;");
        Pcre p = (Pcre) r.matches().get(1);
        assertThat(p.pattern()).isEqualTo("^b[\\\"c](?:d\\;)");
        assertThat(p.caseless() && p.dotAll() && p.multiline() && p.extended() && p.relative()).isTrue();
        assertThat(p.negated()).isFalse();
        assertThat(p.buffer()).isEqualTo(Buffer.RAW);
        Pcre u = (Pcre) r.matches().get(2);
        assertThat(u.negated()).isTrue();
        assertThat(u.buffer()).isEqualTo(Buffer.HTTP_URI);
        assertThat(u.caseless()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"U,HTTP_URI", "I,HTTP_URI_RAW", "H,HTTP_HEADER", "M,HTTP_METHOD", "P,HTTP_REQUEST_BODY",
            "Q,HTTP_RESPONSE_BODY", "V,HTTP_USER_AGENT", "W,HTTP_HOST", "Z,HTTP_HOST_RAW", "B,RAW", "O,RAW",
            "C,HTTP_COOKIE", "K,HTTP_COOKIE", "D,HTTP_RAW_HEADER", "S,HTTP_STAT_CODE", "Y,HTTP_STAT_MSG"})
    void pcreBufferFlags(String flag, Buffer buffer) throws Exception {
        assertThat(rule("pcre:\"/a/" + flag + "\"; sid:1;").matches().getFirst().buffer()).isEqualTo(buffer);
    }

    @Test
    void pcreUnsupportedFlagsSkipAndBadOnesFail() throws Exception {
        assertThat(skipped("alert http any any -> any any (pcre:\"/a/A\"; sid:1;)").keyword()).isEqualTo("pcre:A");
        assertThat(skipped("alert http any any -> any any (pcre:\"/a/G\"; sid:1;)").keyword()).isEqualTo("pcre:G");
        fails("alert tcp any any -> any any (pcre:\"/a/q\"; sid:1;)", "pcre: unknown flag 'q'");
        fails("alert tcp any any -> any any (pcre:\"/a/UH\"; sid:1;)", "pcre: flags U and H name different buffers");
        fails("alert tcp any any -> any any (pcre:\"//\"; sid:1;)", "pcre: empty pattern");
        fails("alert tcp any any -> any any (pcre:\"abc\"; sid:1;)", "pcre: value must be \"/pattern/flags\" in double quotes");
    }

    @Test
    void stickyBuffersApplyUntilTheNextOne() throws Exception {
        Rule r = rule("http.method; content:\"POST\"; http.uri; content:\"/a\"; pcre:\"/b/\"; "
                + "http.header; content:\"X\"; pkt_data; content:\"raw\"; sid:1;");
        assertThat(r.matches()).extracting(Match::buffer).containsExactly(
                Buffer.HTTP_METHOD, Buffer.HTTP_URI, Buffer.HTTP_URI, Buffer.HTTP_HEADER, Buffer.RAW);
    }

    @ParameterizedTest
    @CsvSource({"http.uri,HTTP_URI", "http.uri.raw,HTTP_URI_RAW", "http.method,HTTP_METHOD", "http.header,HTTP_HEADER",
            "http.host,HTTP_HOST", "http.host.raw,HTTP_HOST_RAW", "http.user_agent,HTTP_USER_AGENT", "http.request_body,HTTP_REQUEST_BODY",
            "http.response_body,HTTP_RESPONSE_BODY", "file.data,HTTP_RESPONSE_BODY", "file_data,HTTP_RESPONSE_BODY",
            "dns.query,DNS_QUERY", "dns_query,DNS_QUERY", "tls.sni,TLS_SNI", "tls_sni,TLS_SNI"})
    void stickyBuffers(String keyword, Buffer buffer) throws Exception {
        assertThat(rule(keyword + "; content:\"a\"; sid:1;").matches().getFirst().buffer()).isEqualTo(buffer);
    }

    @Test
    void fileDataOnAToServerRuleIsTheRequestBody() throws Exception {
        Rule r = rule("flow:established,to_server; file_data; content:\"MZ\"; pcre:\"/x/\"; sid:1;");
        assertThat(r.matches()).extracting(Match::buffer).containsExactly(Buffer.HTTP_REQUEST_BODY, Buffer.HTTP_REQUEST_BODY);
    }

    @ParameterizedTest
    @CsvSource({"http_uri,HTTP_URI", "http_raw_uri,HTTP_URI_RAW", "http_method,HTTP_METHOD", "http_header,HTTP_HEADER",
            "http_host,HTTP_HOST", "http_raw_host,HTTP_HOST_RAW", "http_user_agent,HTTP_USER_AGENT", "http_client_body,HTTP_REQUEST_BODY",
            "http_server_body,HTTP_RESPONSE_BODY"})
    void snortModifiersMoveTheContentBeforeThem(String keyword, Buffer buffer) throws Exception {
        Rule r = rule("content:\"a\"; content:\"b\"; " + keyword + "; content:\"c\"; sid:1;");
        assertThat(r.matches()).extracting(Match::buffer).containsExactly(Buffer.RAW, buffer, Buffer.RAW);
    }

    @Test
    void modifierAfterAnotherModifierFails() {
        fails("alert http any any -> any any (content:\"a\"; http_uri; http_header; sid:1;)",
                "http_header: the content before it is already in another buffer");
    }

    @Test
    void uricontentIsAUriContent() throws Exception {
        assertThat(rule("uricontent:\"/x\"; sid:1;").matches().getFirst().buffer()).isEqualTo(Buffer.HTTP_URI);
    }

    @Test
    void flow() throws Exception {
        assertThat(rule("flow:established,to_server; sid:1;").flow()).isEqualTo(new Flow(true, false, true));
        assertThat(rule("flow:from_server; sid:1;").flow()).isEqualTo(new Flow(false, true, false));
        assertThat(rule("flow:from_client,stateless; sid:1;").flow()).isEqualTo(new Flow(true, false, false));
        assertThat(rule("flow:to_client; sid:1;").flow()).isEqualTo(new Flow(false, true, false));
        assertThat(skipped("alert tcp any any -> any any (flow:not_established; sid:1;)").keyword()).isEqualTo("flow:not_established");
        assertThat(skipped("alert tcp any any -> any any (flow:to_server,only_stream; sid:1;)").keyword()).isEqualTo("flow:only_stream");
        fails("alert tcp any any -> any any (flow:to_server,to_client; sid:1;)", "flow: both to_server and to_client");
        fails("alert tcp any any -> any any (flow:sideways; sid:1;)", "flow: unknown option 'sideways'");
    }

    @Test
    void flowbits() throws Exception {
        Rule r = rule("flowbits:set,ET.a-b_1; flowbits:isset,x; flowbits:unset,x; flowbits:toggle,x; "
                + "flowbits:isnotset,y; flowbits:noalert; noalert; sid:1;");
        assertThat(r.flowbits()).containsExactly(
                new Flowbit(Flowbit.Op.SET, "ET.a-b_1"), new Flowbit(Flowbit.Op.ISSET, "x"),
                new Flowbit(Flowbit.Op.UNSET, "x"), new Flowbit(Flowbit.Op.TOGGLE, "x"),
                new Flowbit(Flowbit.Op.ISNOTSET, "y"), new Flowbit(Flowbit.Op.NOALERT, ""),
                new Flowbit(Flowbit.Op.NOALERT, ""));
        assertThat(skipped("alert tcp any any -> any any (flowbits:isset,a&b; sid:1;)").keyword()).isEqualTo("flowbits-group");
        assertThat(skipped("alert tcp any any -> any any (flowbits:set,a|b; sid:1;)").keyword()).isEqualTo("flowbits-group");
        fails("alert tcp any any -> any any (flowbits:set; sid:1;)", "flowbits: set needs a name");
        fails("alert tcp any any -> any any (flowbits:frob,a; sid:1;)", "flowbits: unknown operation 'frob'");
        fails("alert tcp any any -> any any (flowbits:noalert,a; sid:1;)", "flowbits: noalert takes no name");
        fails("alert tcp any any -> any any (flowbits:set,a b; sid:1;)", "flowbits: bad name 'a b'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"byte_test:4,>,1,0,dce|byte_test:dce", "byte_jump:4,0,dce|byte_jump:dce",
            "tls.cert_expired|tls.cert_expired", "ja4.hash|ja4.hash",
            "tls.version:1.2|tls.version", "lua:x.lua|lua", "xbits:set,a,track tx|xbits:tx",
            "base64_decode|base64_decode", "app-layer-event:http.x|app-layer-event", "stream_size:server,>,1|stream_size",
            "ssl_state:client_hello|ssl_state", "tls.cert_notbefore:<2020-01-01|tls.cert_notbefore",
            "threshold:type backoff,track by_src,count 1,multiplier 10|threshold:backoff",
            "to_lowercase|to_lowercase", "dotprefix|dotprefix", "flags:S|flags"})
    void unsupportedKeywordsSkipTheRule(String option, String keyword) throws Exception {
        ParseOutcome.Skipped s = skipped("alert http any any -> any any (content:\"a\"; " + option + "; sid:77;)");
        assertThat(s.keyword()).isEqualTo(keyword);
        assertThat(s.reason()).startsWith("sid 77: ");
    }

    @Test
    void afterASkipOnlyUnknownWordsAndTheSidMatter() throws Exception {
        assertThat(skipped("alert tcp any any -> any any (stream_size:server,>,1; content:\"|zz|\"; sid:9;)").reason())
                .isEqualTo("sid 9: stream_size is not supported");
        fails("alert tcp any any -> any any (stream_size:server,>,1; frobnicate; sid:9;)", "unknown option 'frobnicate'");
        fails("alert tcp any any -> any any (stream_size:server,>,1;)", "missing sid");
    }

    @Test
    void harmlessOptionsAreIgnored() throws Exception {
        Rule r = rule("gid:1; target:dest_ip; tag:session,10,packets; content:\"a\"; rawbytes; prefilter; sid:1;");
        assertThat(r.matches()).hasSize(1);
    }

    @Test
    void unknownOptionsAndBadSyntaxFail() {
        fails("alert tcp any any -> any any (conten:\"a\"; sid:1;)", "unknown option 'conten'");
        fails("alert tcp any any -> any any (sid:1; b@d;)", "bad option name 'b@d'");
        fails("alert tcp any any -> any any (sid 1;)", "sid: expected ':' or ';' after the option name");
        fails("alert tcp any any -> any any (msg:\"abc; sid:1;)", "msg: missing closing quote (an unescaped ';' ends the value)");
    }

    @Test
    void limits() {
        fails("alert tcp any any -> any any (" + "nocase; ".repeat(RuleParser.MAX_OPTIONS + 1) + "sid:1;)",
                "more than 256 options");
        fails("alert tcp any any -> any any (msg:\"" + "a".repeat(RuleParser.MAX_RULE_LENGTH) + "\"; sid:1;)",
                "rule longer than 65536 characters");
        fails("alert tcp " + "[".repeat(40) + "1.2.3.4" + "]".repeat(40) + " any -> any any (sid:1;)",
                "source address: address nested more than 32 deep");
    }

    @Test
    void lastOptionMayOmitItsSemicolon() throws Exception {
        assertThat(rule("msg:\"x\"; sid:8").sid()).isEqualTo(8);
    }

    @Test
    void metadataKeysAreLowerCase() throws Exception {
        assertThat(rule("metadata:Policy balanced-ips, policy security-ips; sid:1;").metadata())
                .isEqualTo(Map.of("policy", List.of("balanced-ips", "security-ips")));
    }

    /** A load holds all its parsed rules while it compiles beside the set in force: ET's repeated metadata is kept once (issue 18). */
    @Test
    void aLoadKeepsEachMetadataTextOnce() throws Exception {
        Rule a = rule("metadata: created_at 2019_01_01, signature_severity Major; sid:1;");
        Rule b = rule("metadata: Created_at 2019_01_01, signature_severity Major; sid:2;");
        assertThat(b.metadata().get("created_at").get(0)).isSameAs(a.metadata().get("created_at").get(0));
        assertThat(b.metadata().get("signature_severity").get(0)).isSameAs(a.metadata().get("signature_severity").get(0));
        assertThat(b.metadata().keySet().stream().filter("created_at"::equals).findFirst().orElseThrow())
                .isSameAs(a.metadata().keySet().stream().filter("created_at"::equals).findFirst().orElseThrow());
    }
}
