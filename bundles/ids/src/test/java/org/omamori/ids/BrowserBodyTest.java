package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.omamori.api.engine.Header;
import org.junit.jupiter.api.Test;

/** Response heads and bodies read as a browser reads them: the offline IDS's lenient path. */
class BrowserBodyTest {

    static final String EICAR = ReplayTest.EICAR;

    record Decoded(String body, int used, Set<String> quirks) {
    }

    static Decoded decode(long length, String te, String ce, byte[] wire, int pieces) {
        Set<String> quirks = new LinkedHashSet<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BrowserBody body = new BrowserBody(length, te, ce, quirks, out::write);
        int used = 0;
        int step = Math.max(1, wire.length / pieces);
        for (int i = 0; i < wire.length && !body.finished(); i += step) {
            used += body.feed(wire, i, Math.min(step, wire.length - i));
        }
        body.end();
        return new Decoded(out.toString(StandardCharsets.ISO_8859_1), used, quirks);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(b, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        }
        return b.toByteArray();
    }

    @Test
    void aWellFormedChunkedBodyDecodesWithoutQuirksAndStopsAtItsEnd() {
        byte[] wire = latin1("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nHTTP/1.1 200 OK");
        Decoded d = decode(-1, "chunked", "", wire, 7);
        assertThat(d.body()).isEqualTo("hello world");
        assertThat(d.quirks()).isEmpty();
        assertThat(d.used()).isEqualTo(wire.length - "HTTP/1.1 200 OK".length()).as("the next message is left");
    }

    @Test
    void chunkSizeLinesABrowserForgivesAreReadAndNamed() {
        for (String size : new String[] {"f\r\r\n", "fx\r\n", "f,\r\n", "f\0\r\n", "f x\r\n", " f\r\n", "\tf\r\n", "\r\nf\r\n", "f\n"}) {
            String wire = size + EICAR.substring(0, 15) + "\r\n" + Integer.toHexString(EICAR.length() - 15) + "\r\n"
                    + EICAR.substring(15) + "\r\n0\r\n\r\n";
            Decoded d = decode(-1, "chunked", "", latin1(wire), 3);
            assertThat(d.body()).as(size).isEqualTo(EICAR);
        }
        assertThat(decode(-1, "chunked", "", latin1("f x\r\n" + EICAR.substring(0, 15) + "\r\n0\r\n\r\n"), 1).quirks())
                .contains("bytes after chunk size");
    }

    @Test
    void aChunkSizeThatIsNoNumberMakesTheRestAPlainBody() {
        Decoded d = decode(-1, "chunked", "", latin1(EICAR), 2);
        assertThat(d.body()).isEqualTo(EICAR);
        assertThat(d.quirks()).contains("chunk size is not a number: read as plain body");
    }

    @Test
    void contentCodingsAreRecognisedByTheirBytesNotTrustedFromTheHeader() throws Exception {
        byte[] eicar = latin1(EICAR);
        assertThat(decode(gzip(eicar).length, "", "gzip", gzip(eicar), 5).body()).isEqualTo(EICAR);
        assertThat(decode(-1, "", "deflate", deflate(eicar, true), 5).body()).as("raw deflate").isEqualTo(EICAR);
        assertThat(decode(-1, "", "deflate", deflate(eicar, false), 5).body()).as("zlib").isEqualTo(EICAR);
        assertThat(decode(-1, "", "deflate", gzip(eicar), 5).body()).as("gzip named deflate").isEqualTo(EICAR);
        assertThat(decode(-1, "", "gzip, gzip", gzip(eicar), 5).body()).as("one layer named twice").isEqualTo(EICAR);
        assertThat(decode(-1, "", "gzip, gzip", gzip(gzip(eicar)), 5).body()).as("two layers").isEqualTo(EICAR);
        assertThat(decode(-1, "", "gzip", eicar, 5).body()).as("named but plain").isEqualTo(EICAR);
        assertThat(decode(-1, "", "br", eicar, 5).quirks()).as("unknown codings pass as sent, no evasion").isEmpty();
    }

    @Test
    void aGzipHeaderWithOptionalFieldsAndReservedFlagsIsSkipped() throws Exception {
        byte[] plain = gzip(latin1(EICAR));
        byte[] named = new byte[plain.length + 4];
        System.arraycopy(plain, 0, named, 0, 10);
        named[3] = (byte) (0x08 | 0x20); // FNAME and a reserved bit
        System.arraycopy(latin1("a.t\0"), 0, named, 10, 4);
        System.arraycopy(plain, 10, named, 14, plain.length - 10);
        Decoded d = decode(-1, "", "gzip", named, 9);
        assertThat(d.body()).isEqualTo(EICAR);
        assertThat(d.quirks()).contains("gzip header with reserved flags");
    }

    @Test
    void aDecompressionBombIsCutAtTheBound() throws Exception {
        byte[] bomb = gzip(new byte[(int) BrowserBody.MAX_DECODED + (1 << 20)]);
        Set<String> quirks = new LinkedHashSet<>();
        long[] out = new long[1];
        BrowserBody body = new BrowserBody(-1, "", "gzip", quirks, (d, o, l) -> out[0] += l);
        body.feed(bomb, 0, bomb.length);
        body.end();
        assertThat(out[0]).isEqualTo(BrowserBody.MAX_DECODED);
        assertThat(quirks).anyMatch(q -> q.startsWith("decoded body over"));
    }

    @Test
    void aResponseHeadIsReadAsLibhtpReadsIt() {
        Set<String> q = new LinkedHashSet<>();
        LenientResponse r = LenientResponse.parse("foobar\r\n\0HTTP/2.0 0204 ok\r\nTransfer-Encoding : \r\n chunked\r\n"
                + "Content-Encoding:: gzip\rX-A: b\r\n Content-Length: 5\r\n\r\n", q);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.joined("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.joined("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.contentLength()).as("a field of its own despite the leading space").isEqualTo(5);
        assertThat(r.decodedHeaders()).extracting(h -> h.name()).as("the status line first, for the engines")
                .containsExactly(Header.STATUS_LINE, "X-A");
        assertThat(r.decodedHeaders().get(0).value()).endsWith("HTTP/2.0 0204 ok");
        assertThat(q).contains("junk before the status line", "odd status code", "folded header", "double colon",
                "bare CR ends a line", "white space or control bytes in a header name");
        assertThat(LenientResponse.parse("no status line here\r\n\r\n", new LinkedHashSet<>())).isNull();
        Set<String> none = new LinkedHashSet<>();
        LenientResponse.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", none);
        assertThat(none).as("a well-formed head takes no liberty").isEmpty();
    }
}
