package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The head buffers that Suricata fills from the bytes as sent (docs.suricata.io "HTTP Keywords"):
 * {@code http.header.raw} (the header lines after the start line, spacing, folding and case as
 * sent, and the empty line), {@code http.request_line} (the first line as sent), {@code http.protocol}
 * (the request's version) and {@code http.start} (the request line as sent, then the normalised
 * fields); and the raw request stream, whose head is the bytes as sent. Intakes of engine API 1.5
 * pass the head; for those that do not, the buffers are rebuilt from the parsed facts.
 */
class RawHeadBuffersTest {

    /** A client's request with odd spacing, a folded field, a lower-case name, a tab, an absolute target and HTTP/1.0. */
    static final String ODD_REQUEST = "GET http://Example.JP/a%41?b HTTP/1.0\r\n"
            + "host:   Example.JP \r\n"
            + "X-Fold: one\r\n  two\r\n"
            + "User-Agent:\tcurl/8\r\n"
            + "\r\n";
    /** suricata-verify's http-raw-header: the spaces after {@code Server:} are what the rule looks for. */
    static final String ODD_RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Server:       Yx(yw)        /SERVER IP:   SERverWanip\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

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

    /** The request as an intake of API 1.5 parses it: cleaned fields (folding undone), version and head as sent. */
    static InspectionRequest.Builder oddRequest() throws Exception {
        return IpsEngineTest.outbound("GET", "http://Example.JP/a%41?b")
                .header("host", "Example.JP").header("X-Fold", "one two").header("User-Agent", "curl/8");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(IpsInspection i, Buffer b) {
        return new String(i.headerBytes(b), StandardCharsets.ISO_8859_1);
    }

    private String sids(InspectionRequest request, String responseHead) {
        try (Inspection i = engine.inspect(request)) {
            i.endOfBody(Direction.REQUEST);
            if (responseHead != null) {
                List<Header> fields = List.of(Header.statusLine("HTTP/1.1 200 OK"),
                        new Header("Server", "Yx(yw)        /SERVER IP:   SERverWanip"), new Header("Content-Length", "0"));
                if (responseHead.isEmpty()) {
                    i.headers(Direction.RESPONSE, fields); // an intake of API 1.4: no head
                } else {
                    i.headers(Direction.RESPONSE, fields, bytes(responseHead));
                }
                i.endOfBody(Direction.RESPONSE);
            }
            return i.verdict().findings().stream().map(Finding::ruleId).sorted().collect(Collectors.joining(" "));
        }
    }

    @Test
    void theRequestsBuffersAreCutFromTheHeadAsSent() throws Exception {
        load("alert http any any -> any any (flow:to_server; http.header.raw; content:\"x\"; sid:1;)");
        InspectionRequest request = oddRequest().httpVersion("HTTP/1.0").head(bytes(ODD_REQUEST)).build();
        try (IpsInspection i = (IpsInspection) engine.inspect(request)) {
            assertThat(text(i, Buffer.HTTP_RAW_HEADER)).as("header lines as sent and the empty line, not the request line")
                    .isEqualTo("host:   Example.JP \r\nX-Fold: one\r\n  two\r\nUser-Agent:\tcurl/8\r\n\r\n");
            assertThat(text(i, Buffer.HTTP_REQUEST_LINE)).isEqualTo("GET http://Example.JP/a%41?b HTTP/1.0");
            assertThat(text(i, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.0");
            assertThat(text(i, Buffer.HTTP_START)).as("the line as sent, then the normalised fields (Suricata's http.start)")
                    .isEqualTo("GET http://Example.JP/a%41?b HTTP/1.0\r\nhost: Example.JP\r\nX-Fold: one two\r\nUser-Agent: curl/8\r\n\r\n");
            assertThat(text(i, Buffer.HTTP_HEADER)).as("the normalised buffer is unchanged")
                    .isEqualTo("host: Example.JP\r\nX-Fold: one two\r\nUser-Agent: curl/8\r\n");
            assertThat(new String(i.rawRequestHead().bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(ODD_REQUEST);
        }
    }

    @Test
    void withoutAVersionFromTheIntakeTheProtocolIsReadFromTheLineAndAVersionlessLineHasNone() throws Exception {
        load("alert http any any -> any any (flow:to_server; http.protocol; content:\"x\"; sid:1;)");
        try (IpsInspection i = (IpsInspection) engine.inspect(oddRequest().head(bytes(ODD_REQUEST)).build())) {
            assertThat(text(i, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.0");
        }
        InspectionRequest versionless = IpsEngineTest.outbound("GET", "http://a.example/x").header("Host", "a.example")
                .head(bytes("GET /x\r\nHost: a.example\r\n\r\n")).build();
        try (IpsInspection i = (IpsInspection) engine.inspect(versionless)) {
            assertThat(text(i, Buffer.HTTP_PROTOCOL)).isEmpty();
            assertThat(text(i, Buffer.HTTP_REQUEST_LINE)).isEqualTo("GET /x");
        }
    }

    @Test
    void anIntakeThatPassesNoHeadGetsTheBuffersRebuiltWithItsVersionOrHttp11() throws Exception {
        load("alert http any any -> any any (flow:to_server; http.header.raw; content:\"x\"; sid:1;)");
        try (IpsInspection i = (IpsInspection) engine.inspect(oddRequest().httpVersion("HTTP/1.0").build())) {
            assertThat(text(i, Buffer.HTTP_REQUEST_LINE)).isEqualTo("GET /a%41?b HTTP/1.0");
            assertThat(text(i, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.0");
            assertThat(text(i, Buffer.HTTP_RAW_HEADER)).isEqualTo("host: Example.JP\r\nX-Fold: one two\r\nUser-Agent: curl/8\r\n\r\n");
            assertThat(new String(i.rawRequestHead().bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(text(i, Buffer.HTTP_START));
        }
        try (IpsInspection i = (IpsInspection) engine.inspect(oddRequest().build())) {
            assertThat(text(i, Buffer.HTTP_REQUEST_LINE)).isEqualTo("GET /a%41?b HTTP/1.1");
            assertThat(text(i, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void httpStartOfAHeadWithoutFieldsEndsAfterTheLineAsSuricatasDoes() throws Exception {
        load("alert http any any -> any any (flow:to_server; http.start; content:\"x\"; sid:1;)");
        InspectionRequest bare = IpsEngineTest.outbound("GET", "http://a.example/").httpVersion("HTTP/1.0")
                .head(bytes("GET / HTTP/1.0\r\n\r\n")).build();
        try (IpsInspection i = (IpsInspection) engine.inspect(bare)) {
            assertThat(text(i, Buffer.HTTP_START)).isEqualTo("GET / HTTP/1.0\r\n");
            assertThat(text(i, Buffer.HTTP_RAW_HEADER)).as("only the empty line").isEqualTo("\r\n");
        }
    }

    @Test
    void rulesOnTheRequestsBytesAsSentMatchThemAndNotTheCleanedFields() throws Exception {
        load("alert http any any -> any any (msg:\"spaces\"; flow:to_server; http.header.raw; content:\"host|3a 20 20 20|Example\"; sid:1;)",
                "alert http any any -> any any (msg:\"folded\"; flow:to_server; content:\"one|0d 0a 20 20|two\"; http_raw_header; sid:2;)",
                "alert http any any -> any any (msg:\"1.0\"; flow:to_server; http.protocol; content:\"HTTP/1.0\"; bsize:8; sid:3;)",
                "alert http any any -> any any (msg:\"line\"; flow:to_server; http.request_line; content:\"GET http|3a|//Example.JP/a%41?b HTTP/1.0\"; "
                        + "bsize:37; sid:4;)",
                "alert http any any -> any any (msg:\"start\"; flow:to_server; http.start; content:\"HTTP/1.0|0d 0a|host|3a 20|Example\"; sid:5;)",
                "alert tcp any any -> any any (msg:\"raw stream\"; flow:to_server; content:\"X-Fold: one|0d 0a 20 20|two\"; sid:6;)",
                "alert http any any -> any any (msg:\"cleaned\"; flow:to_server; http.header.raw; content:\"host: Example.JP|0d 0a|\"; sid:7;)");
        assertThat(sids(oddRequest().httpVersion("HTTP/1.0").head(bytes(ODD_REQUEST)).build(), null))
                .isEqualTo("sid:1 sid:2 sid:3 sid:4 sid:5 sid:6");
        assertThat(sids(oddRequest().build(), null)).as("no head, no version: the cleaned fields and HTTP/1.1")
                .isEqualTo("sid:7");
    }

    @Test
    void theResponsesRawHeaderIsItsHeadAsSentAsInSuricataVerifysHttpRawHeader() throws Exception {
        load("alert http any any -> any any (flow:established,to_client; content:\"Server|3a 20 20 20 20 20 20 20|Yx|28|\"; "
                + "http_raw_header; sid:1;)",
                "alert http any any -> any any (flow:to_client; http.start; content:\"HTTP/1.1 200 OK|0d 0a|Server|3a 20|Yx\"; sid:2;)");
        InspectionRequest request = IpsEngineTest.outbound("GET", "http://a.example/").header("Host", "a.example")
                .httpVersion("HTTP/1.1").head(bytes("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n")).build();
        assertThat(sids(request, ODD_RESPONSE)).isEqualTo("sid:1 sid:2");
        assertThat(sids(request, "")).as("an intake that passes no response head: the cleaned fields").isEqualTo("sid:2");
        try (IpsInspection i = (IpsInspection) engine.inspect(request)) {
            i.headers(Direction.RESPONSE, List.of(Header.statusLine("HTTP/1.1 200 OK"), new Header("Server", "x")), bytes(ODD_RESPONSE));
            assertThat(text(i, Buffer.HTTP_RESPONSE_RAW_HEADER))
                    .isEqualTo("Server:       Yx(yw)        /SERVER IP:   SERverWanip\r\nContent-Length: 0\r\n\r\n");
            assertThat(text(i, Buffer.HTTP_RAW_HEADER)).as("the request's own").isEqualTo("Host: a.example\r\n\r\n");
        }
    }
}
