package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Header;

/**
 * The head parsed as bytes ({@link Head}, {@link Framing}, {@link ForwardedHead}) against the
 * String parser it replaced ({@link LegacyHead}) on heads built from the pieces smuggling lives on,
 * and the byte-level edges on their own: names in any case, whitespace around values, octets
 * above 0x7f, and the size limits.
 */
class HeadBytesTest {

    private static final Target TARGET = new Target("a.example", 8080, "/p?q=1");

    private static final String[] REQUEST_LINES = {"GET http://a.example/p HTTP/1.1", "POST http://a.example/ HTTP/1.0",
        "POST /up HTTP/1.1", "HEAD / HTTP/1.1", "GET  /x HTTP/1.1", "get / HTTP/1.1", "GET /\u00e9 HTTP/1.1",
        "GET / HTTP/1.2", "GET / http/1.1", "G\u00c9T / HTTP/1.1", "GET /a b HTTP/1.1", " GET / HTTP/1.1", "GET / HTTP/1.1 "};
    private static final String[] STATUS_LINES = {"HTTP/1.1 200 OK", "HTTP/1.0 200 OK", "HTTP/1.1 204 No Content",
        "HTTP/1.1 304 ", "HTTP/1.1 200", "HTTP/1.1 200 HTTP/1.0", "HTTP/1.1 2x0 OK", "HTTP/1.1 200OK", "http/1.1 200 OK",
        "HTTP/1.1 404 Nicht gefunden \u00e9", "HTTP/1.1 200 \u0001", "HTTP/1.1 101 Switching", "HTTP/1.1 200 a\tb"};
    private static final String[] NAMES = {"Host", "host", "HOST", "Content-Length", "content-length", "CONTENT-LENGTH",
        "Transfer-Encoding", "transfer-ENCODING", "Connection", "connection", "Expect", "Keep-Alive", "TE", "te", "Upgrade",
        "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate", "X-A", "x-a", "User-Agent", "Via",
        "X-\u00e9", "X A", "", " X-Folded", "\tX-Folded", "X-A ", "Content-Length\t", "X@Y"};
    private static final String[] VALUES = {"5", "05", "5, 5", "5,5", "5, 6", "5,", ",5", ",", "", " ", "x", "-1",
        "1234567890123456789", "123456789012345678", "chunked", "gzip, chunked", "chunked, gzip", "chunked, chunked",
        "CHUNKED", "gzip", "identity", "chunked\u000b", "close", "keep-alive", "Close, X-A", "x-a", "content-length",
        "Transfer-Encoding", "100-continue", "100-Continue", "caf\u00e9", "\u00c9T\u00c9, chunked", "\u000b5\u000c",
        "\u001f5", "a\u0001b", "a\u007fb", "a\tb", "\u0085x", "\u00a0x\u00a0", "a:b", "h\u00e9.example"};
    private static final String[] SPACES = {"", " ", "  ", "\t", " \t ", "\u000b", "\u000c "};

    @Test
    void requestsParseFrameAndForwardAsTheStringParserDid() throws Exception {
        SplittableRandom random = new SplittableRandom(18);
        int parsed = 0;
        for (int n = 0; n < 20_000; n++) {
            List<String> lines = randomHead(random, REQUEST_LINES);
            HeadBytes raw = read(lines, true);
            if (raw == null) {
                continue;
            }
            LegacyHead before;
            try {
                before = LegacyHead.request(lines);
            } catch (HttpProtocolException e) {
                assertRefused(() -> Head.request(raw), e, lines);
                continue;
            }
            Head after = Head.request(raw);
            parsed++;
            sameFields(before, after, lines);
            assertThat(after.method()).as("%s", lines).isEqualTo(before.first());
            assertThat(after.target()).as("%s", lines).isEqualTo(before.second());
            assertThat(after.http10()).as("%s", lines).isEqualTo(before.http10());
            assertThat(after.hasElement(KnownField.EXPECT, "100-continue")).isEqualTo(before.tokens("Expect").contains("100-continue"));
            Framing framing;
            try {
                framing = before.ofRequest();
            } catch (HttpProtocolException e) {
                assertRefused(() -> Framing.ofRequest(after), e, lines);
                continue;
            }
            assertThat(Framing.ofRequest(after)).as("%s", lines).isEqualTo(framing);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new ForwardedHead().writeRequest(after, TARGET, out);
            assertThat(latin1(out.toByteArray())).as("%s", lines).isEqualTo(latin1(before.forwardRequest(TARGET)));
        }
        assertThat(parsed).isGreaterThan(1_000);
    }

    @Test
    void responsesParseFrameAndForwardAsTheStringParserDid() throws Exception {
        SplittableRandom random = new SplittableRandom(19);
        int parsed = 0;
        ForwardedHead heads = new ForwardedHead(); // reused, as a connection does
        List<Header> last = null; // the engines' headers of the previous response, shared where the same, as a connection does
        for (int n = 0; n < 20_000; n++) {
            List<String> lines = randomHead(random, STATUS_LINES);
            HeadBytes raw = read(lines, false);
            if (raw == null) {
                continue;
            }
            LegacyHead before;
            try {
                before = LegacyHead.response(lines);
            } catch (HttpProtocolException e) {
                assertRefused(() -> Head.response(raw), e, lines);
                continue;
            }
            Head after = Head.response(raw);
            parsed++;
            sameFields(before, after, lines);
            assertThat(after.status()).isEqualTo(Integer.parseInt(before.second()));
            assertThat(after.http10()).as("%s", lines).isEqualTo(before.http10());
            assertThat(after.statusLine()).isEqualTo(before.first() + " " + before.second()
                    + (before.third().isEmpty() ? "" : " " + before.third()));
            assertThat(after.hasElement(KnownField.CONNECTION, "close")).isEqualTo(before.tokens("Connection").contains("close"));
            assertThat(after.headersWithStatusLine()).first().isEqualTo(Header.statusLine(after.statusLine()));
            assertThat(after.headersWithStatusLine().subList(1, after.fields() + 1)).isEqualTo(before.headers());
            List<Header> sharing = after.headersWithStatusLine(last);
            assertThat(sharing).as("%s after %s", lines, last).isEqualTo(after.headersWithStatusLine());
            if (sharing.equals(last)) {
                assertThat(sharing).isSameAs(last);
            }
            last = sharing;
            String method = random.nextBoolean() ? "GET" : "HEAD";
            Framing framing;
            try {
                framing = before.ofResponse(method);
            } catch (HttpProtocolException e) {
                assertRefused(() -> Framing.ofResponse(method, after), e, lines);
                continue;
            }
            assertThat(Framing.ofResponse(method, after)).as("%s", lines).isEqualTo(framing);
            boolean close = random.nextBoolean();
            boolean keepAlive10 = random.nextBoolean();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            heads.writeResponse(after, close, keepAlive10, out);
            assertThat(latin1(out.toByteArray())).as("%s", lines).isEqualTo(latin1(before.forwardResponse(close, keepAlive10)));
        }
        assertThat(parsed).isGreaterThan(1_000);
    }

    @Test
    void namesAreRecognisedInAnyCaseAndKeptAsSpelt() throws Exception {
        Head h = request("POST http://a.example/ HTTP/1.1", "cOnTeNt-LeNgTh: 5", "x-custom: 1", "CONNECTION: X-Custom, Keep-Alive",
                "hOsT: a.example");
        assertThat(h.count(KnownField.CONTENT_LENGTH)).isEqualTo(1);
        assertThat(h.count(KnownField.HOST)).isEqualTo(1);
        assertThat(h.header("Host")).contains("a.example");
        assertThat(h.header("X-CUSTOM")).contains("1");
        assertThat(h.hasElement(KnownField.CONNECTION, "keep-alive")).isTrue();
        assertThat(Framing.ofRequest(h)).isEqualTo(new Framing.Length(5));
        assertThat(h.headers()).extracting(Header::name).containsExactly("cOnTeNt-LeNgTh", "x-custom", "CONNECTION", "hOsT");
        // x-custom is named by Connection (in another case): dropped with Connection itself.
        assertThat(forward(h)).isEqualTo("POST /p?q=1 HTTP/1.1\r\nHost: a.example:8080\r\nContent-Length: 5\r\n"
                + "Via: 1.1 omamori\r\n\r\n");
    }

    @Test
    void valuesAreTrimmedOfWhitespaceAtBothEndsOnly() throws Exception {
        Head h = request("GET http://a.example/ HTTP/1.1", "X-A: \t a \t b \t ", "X-B:c", "X-C:", "Content-Length:  0 , 0\t");
        assertThat(h.headers()).containsExactly(new Header("X-A", "a \t b"), new Header("X-B", "c"), new Header("X-C", ""),
                new Header("Content-Length", "0 , 0"));
        assertThat(Framing.ofRequest(h)).isEqualTo(Framing.NONE);
        assertThat(forward(h)).contains("X-A: a \t b\r\nX-B: c\r\nX-C: \r\nContent-Length: 0\r\n");
    }

    @Test
    void aConnectionsNextResponseSharesTheHeadersThatAreTheSame() throws Exception {
        Head first = response("HTTP/1.1 200 OK", "Server: nginx", "Date: Sun, 06 Dec 2026 16:00:00 GMT", "Content-Length: 10");
        Head again = response("HTTP/1.1 200 OK", "Server: nginx", "Date: Sun, 06 Dec 2026 16:00:00 GMT", "Content-Length: 10");
        Head later = response("HTTP/1.1 200 OK", "Server: nginx", "Date: Sun, 06 Dec 2026 16:00:01 GMT", "Content-Length: 10");
        Head other = response("HTTP/1.1 404 Not Found", "server: nginx", "Date: Sun, 06 Dec 2026 16:00:01 GMT");
        List<Header> last = first.headersWithStatusLine(null);
        assertThat(again.headersWithStatusLine(last)).isSameAs(last);
        List<Header> next = later.headersWithStatusLine(last);
        assertThat(next).isEqualTo(later.headersWithStatusLine());
        for (int i : new int[] {0, 1, 3}) {
            assertThat(next.get(i)).isSameAs(last.get(i));
        }
        assertThat(next.get(2)).isNotSameAs(last.get(2)).isEqualTo(new Header("Date", "Sun, 06 Dec 2026 16:00:01 GMT"));
        List<Header> otherList = other.headersWithStatusLine(next);
        assertThat(otherList).isEqualTo(other.headersWithStatusLine()).doesNotContainAnyElementsOf(List.of(next.get(0), next.get(1)));
        assertThat(otherList.get(1).name()).as("the name as received, not the last one's spelling").isEqualTo("server");
    }

    private static Head response(String... lines) throws IOException, HttpProtocolException {
        return Head.response(read(List.of(lines), false));
    }

    /** A connection's heads go into one kept array, but not a large one: one big head does not pin its memory for the connection's life. */
    @Test
    void headsOfOneConnectionShareAnArrayUnlessOneWasLarge() throws Exception {
        String small = "GET /a HTTP/1.1\r\nHost: a\r\n\r\n";
        String big = "GET /b HTTP/1.1\r\nHost: b\r\nX-Big: " + "x".repeat(10_000) + "\r\n\r\n";
        String other = "GET /c HTTP/1.1\r\nHost: c\r\nAccept: */*\r\n\r\n";
        HttpInput in = new HttpInput(new ByteArrayInputStream((small + other + big + small).getBytes(StandardCharsets.ISO_8859_1)), 16 << 10);
        HttpInput.HeadBuffer buffer = new HttpInput.HeadBuffer();
        Head first = Head.request(in.readHead(8192, 65536, true, buffer));
        byte[] kept = first.bytes();
        assertThat(asText(first.sent())).isEqualTo(small);
        Head second = Head.request(in.readHead(8192, 65536, true, buffer));
        assertThat(second.bytes()).isSameAs(kept);
        assertThat(asText(second.sent())).isEqualTo(other);
        assertThat(second.header("host")).contains("c");
        Head third = Head.request(in.readHead(8192, 65536, true, buffer));
        assertThat(asText(third.sent())).isEqualTo(big);
        assertThat(third.bytes().length).isGreaterThan(10_000);
        Head fourth = Head.request(in.readHead(8192, 65536, true, buffer));
        assertThat(asText(fourth.sent())).isEqualTo(small);
        assertThat(fourth.bytes().length).as("the large array was let go").isLessThan(8192);
    }

    private static String asText(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void octetsAbove0x7fInValuesArePassedAsReceived() throws Exception {
        byte[] wire = ("HTTP/1.1 200 \u00c4rger\r\nX-Name: caf\u00e9 \u00ff\r\nTransfer-Encoding: \u00c9T\u00c9, chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Head h = Head.response(new HttpInput(new ByteArrayInputStream(wire), 1024).readHead(8192, 65536, false));
        assertThat(h.header("x-name")).contains("caf\u00e9 \u00ff");
        assertThat(h.statusLine()).isEqualTo("HTTP/1.1 200 \u00c4rger");
        assertThat(Framing.ofResponse("GET", h)).isEqualTo(Framing.CHUNKED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ForwardedHead().writeResponse(h, false, false, out);
        // The codings lower-cased as ISO-8859-1 text (É to é), the other value byte for byte.
        assertThat(latin1(out.toByteArray())).isEqualTo("HTTP/1.1 200 \u00c4rger\r\nX-Name: caf\u00e9 \u00ff\r\n"
                + "Transfer-Encoding: \u00e9t\u00e9, chunked\r\nVia: 1.1 omamori\r\n\r\n");
    }

    @Test
    void onlySpaceAndTabAreTrimmedAndAContentLengthWithAnEmptyElementIsRefused() throws Exception {
        // Read as 5 here, "5," or a VT before the digits may be read otherwise by the next hop.
        for (String value : List.of("\u000b5", "5\u000c", "\u001f5")) {
            HttpProtocolException e = org.assertj.core.api.Assertions.catchThrowableOfType(HttpProtocolException.class,
                    () -> request("POST http://a.example/ HTTP/1.1", "Host: a.example", "Content-Length:" + value));
            assertThat(e).as(value).isNotNull();
            assertThat(e.status).isEqualTo(400);
            assertThat(e.getMessage()).contains("control character");
        }
        for (String value : List.of("5,", ",5", "5,,5", "5, ,5")) {
            Head h = request("POST http://a.example/ HTTP/1.1", "Host: a.example", "Content-Length: " + value);
            HttpProtocolException e = org.assertj.core.api.Assertions.catchThrowableOfType(HttpProtocolException.class,
                    () -> Framing.ofRequest(h));
            assertThat(e).as(value).isNotNull();
            assertThat(e.getMessage()).isEqualTo("an empty element in Content-Length");
        }
        assertThat(Framing.ofRequest(request("POST http://a.example/ HTTP/1.1", "Host: a.example", "Content-Length: \t5, 5 ")))
                .isEqualTo(new Framing.Length(5));
    }

    @Test
    void byteRulesMatchTheStringMethodsTheyReplace() {
        for (int c = 0; c < 256; c++) {
            byte b = (byte) c;
            String s = String.valueOf((char) c);
            assertThat(HeadSyntax.lowerLatin1(b) & 0xff).as("lower case of %02x", c).isEqualTo((int) s.toLowerCase(Locale.ROOT).charAt(0));
            assertThat(HeadSyntax.isStripped(b)).as("strip of %02x", c).isEqualTo(LegacyHead.ows(s).isEmpty());
            assertThat(HeadSyntax.isToken(new byte[] {b}, 0, 1)).isEqualTo(HeadSyntax.isToken(s));
        }
    }

    @Test
    void aHeadLargerThanTheReadBufferKeepsEveryLine() throws Exception {
        List<String> lines = new ArrayList<>(List.of("GET http://a.example/ HTTP/1.1"));
        for (int i = 0; i < 150; i++) {
            lines.add("X-" + i + ": " + "v".repeat(300) + i);
        }
        byte[] wire = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        // 45 KB through a 16 KiB buffer, a few bytes per read.
        HttpInput in = new HttpInput(HeadFuzzTest.trickle(concat(new byte[] {7}, wire)), 16 << 10);
        Head h = Head.request(in.readHead(8192, 65536, true));
        assertThat(h.fields()).isEqualTo(150);
        assertThat(h.value(149)).isEqualTo("v".repeat(300) + 149);
        assertThat(h.name(0)).isEqualTo("X-0");
    }

    @Test
    void limitsAreThoseOfTheStringParser() throws Exception {
        String line = "GET http://a.example/ HTTP/1.1";
        // The head bound counts every line with its CRLF, the final empty line included.
        String field = "X: " + "a".repeat(100 - line.length() - 2 - 2 - 3 - 2);
        assertThat(readRequest(100, line, field).fields()).isEqualTo(1);
        assertThatThrownBy(() -> readRequest(100, line, field + "a")).hasFieldOrPropertyWithValue("status", 431);
        assertThatThrownBy(() -> readRequest(line.length() - 1, line)).hasFieldOrPropertyWithValue("status", 414);
        List<String> many = new ArrayList<>(List.of(line));
        for (int i = 0; i < 199; i++) {
            many.add("X: " + i);
        }
        assertThat(readRequest(65536, many.toArray(String[]::new)).fields()).isEqualTo(199);
        many.add("X: 199");
        assertThatThrownBy(() -> readRequest(65536, many.toArray(String[]::new))).hasFieldOrPropertyWithValue("status", 431);
    }

    private static Head readRequest(int maxHead, String... lines) throws IOException, HttpProtocolException {
        byte[] wire = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return Head.request(new HttpInput(new ByteArrayInputStream(wire), 16 << 10).readHead(Math.min(maxHead, 8192), maxHead, true));
    }

    private static Head request(String... lines) throws IOException, HttpProtocolException {
        return readRequest(65536, lines);
    }

    private static String forward(Head request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ForwardedHead().writeRequest(request, new Target("a.example", 8080, "/p?q=1"), out);
        return latin1(out.toByteArray());
    }

    private static void sameFields(LegacyHead before, Head after, List<String> lines) {
        assertThat(after.headers()).as("%s", lines).isEqualTo(before.headers());
        for (KnownField f : KnownField.values()) {
            if (f != KnownField.OTHER) {
                assertThat(after.count(f)).as("%s in %s", f, lines).isEqualTo(before.count(f.name));
            }
        }
    }

    interface Parse {
        Object run() throws HttpProtocolException;
    }

    private static void assertRefused(Parse parse, HttpProtocolException expected, List<String> lines) {
        assertThatThrownBy(parse::run).as("%s", lines).isInstanceOf(HttpProtocolException.class)
                .hasMessage(expected.getMessage()).hasFieldOrPropertyWithValue("status", expected.status);
    }

    /** The lines through the proxy's reader; null when the reader itself refuses them (shared by both parsers). */
    private static HeadBytes read(List<String> lines, boolean request) throws IOException {
        byte[] wire = (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
            HeadBytes raw = new HttpInput(new ByteArrayInputStream(wire), 16 << 10).readHead(8192, 65536, request);
            assertThat(raw.lines()).isEqualTo(lines.size());
            return raw;
        } catch (HttpProtocolException e) {
            return null;
        }
    }

    private static List<String> randomHead(SplittableRandom random, String[] startLines) {
        List<String> lines = new ArrayList<>();
        lines.add(startLines[random.nextInt(startLines.length)]);
        int fields = random.nextInt(7);
        for (int i = 0; i < fields; i++) {
            String value = VALUES[random.nextInt(VALUES.length)];
            if (random.nextInt(4) == 0) {
                value = value + "," + VALUES[random.nextInt(VALUES.length)];
            }
            String line = NAMES[random.nextInt(NAMES.length)] + ":" + SPACES[random.nextInt(SPACES.length)] + value
                    + SPACES[random.nextInt(SPACES.length)];
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
