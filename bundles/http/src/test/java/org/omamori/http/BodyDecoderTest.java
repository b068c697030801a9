package org.omamori.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.http.TestBodies.ascii;
import static org.omamori.http.TestBodies.concat;
import static org.omamori.http.TestBodies.deflate;
import static org.omamori.http.TestBodies.gzip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omamori.api.engine.Header;
import org.omamori.http.TestBodies.Collector;

class BodyDecoderTest {

    private static final byte[] TEXT = TestBodies.text(200_000, 1);

    /** Chunked framing with varying chunk sizes, an extension on every chunk, and the given trailer lines. */
    private static byte[] chunked(byte[] data, String trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(data.length);
        for (int i = 0; i < data.length;) {
            int n = Math.min(data.length - i, 1 + random.nextInt(9000));
            out.writeBytes(ascii(Integer.toHexString(n) + ";i=" + i + "\r\n"));
            out.write(data, i, n);
            out.writeBytes(ascii("\r\n"));
            i += n;
        }
        out.writeBytes(ascii("0\r\n" + trailer + "\r\n"));
        return out.toByteArray();
    }

    private static List<Header> headers(String... nameValues) {
        Header[] headers = new Header[nameValues.length / 2];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = new Header(nameValues[2 * i], nameValues[2 * i + 1]);
        }
        return List.of(headers);
    }

    private static Collector decode(BodyDecoder decoder, byte[] wire, int step) throws IOException {
        Collector out = new Collector();
        TestBodies.feed(wire, step, piece -> decoder.decode(piece, out));
        decoder.finish(out);
        assertThat(decoder.encodedBytes()).isEqualTo(wire.length);
        assertThat(decoder.decodedBytes()).isEqualTo(out.bytes.size());
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000, 65536, 1 << 20})
    void chunkedGzipIsDecoded(int step) throws IOException {
        byte[] wire = chunked(gzip(TEXT), "X-Checksum: 42\r\n");
        BodyDecoder decoder = BodyDecoder.forHeaders(
                headers("Content-Type", "text/html", "transfer-encoding", "chunked", "CONTENT-ENCODING", "gzip"));
        assertThat(decoder.describe()).isEqualTo("chunked, gzip");
        Collector out = decode(decoder, wire, step);
        assertThat(out.toByteArray()).isEqualTo(TEXT);
        assertThat(out.largestPiece).isLessThanOrEqualTo(Limits.DEFAULTS.outputChunkBytes());
        assertThat(decoder.trailers()).containsExactly(new Header("X-Checksum", "42"));
    }

    @Test
    void chunkedGzipIsDecodedWhenSplitAtEveryBoundary() throws IOException {
        byte[] data = ascii("<html>small page, small page, small page</html>");
        byte[] gz = gzip(data);
        byte[] wire = concat(ascii("7;a=b\r\n"), slice(gz, 0, 7), ascii("\r\n"),
                ascii(Integer.toHexString(gz.length - 7) + "\r\n"), slice(gz, 7, gz.length), ascii("\r\n"),
                ascii("0\r\nT: v\r\n\r\n"));
        List<Header> headers = headers("Transfer-Encoding", "chunked", "Content-Encoding", "gzip");
        for (int i = 0; i <= wire.length; i++) {
            for (int j = i; j <= wire.length; j += 3) {
                BodyDecoder decoder = BodyDecoder.forHeaders(headers);
                Collector out = new Collector();
                decoder.decode(ByteBuffer.wrap(wire, 0, i).slice(), out);
                decoder.decode(ByteBuffer.wrap(wire, i, j - i).slice(), out);
                decoder.decode(ByteBuffer.wrap(wire, j, wire.length - j).slice(), out);
                decoder.finish(out);
                assertThat(out.toByteArray()).as("cut at %d and %d", i, j).isEqualTo(data);
            }
        }
    }

    @Test
    void headerNamesAndCodingsMatchCaseInsensitively() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(
                headers("tRaNsFeR-eNcOdInG", "Chunked", "content-encoding", "X-GZIP"));
        assertThat(decoder.describe()).isEqualTo("chunked, gzip");
        assertThat(decode(decoder, chunked(gzip(TEXT), ""), 4096).toByteArray()).isEqualTo(TEXT);
    }

    @Test
    void withoutCodingHeadersTheBodyPassesThroughUnchanged() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Content-Type", "application/octet-stream",
                "Content-Length", String.valueOf(TEXT.length)));
        assertThat(decoder.describe()).isEqualTo("identity");
        assertThat(decoder.isIdentity()).isTrue();
        assertThat(decode(decoder, TEXT, 100_000).toByteArray()).isEqualTo(TEXT);
        assertThat(BodyDecoder.forHeaders(List.of()).describe()).isEqualTo("identity");
    }

    @Test
    void contentEncodingIdentityPassesThroughUnchanged() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Content-Encoding", "identity"));
        assertThat(decoder.describe()).isEqualTo("identity");
        assertThat(decode(decoder, TEXT, 7777).toByteArray()).isEqualTo(TEXT);

        BodyDecoder chunkedOnly = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked",
                "Content-Encoding", "identity"));
        assertThat(chunkedOnly.describe()).isEqualTo("chunked");
        assertThat(decode(chunkedOnly, chunked(TEXT, ""), 7777).toByteArray()).isEqualTo(TEXT);
    }

    @Test
    void severalHeaderLinesFormOneList() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Content-Encoding", "deflate", "Content-Encoding", "gzip"));
        assertThat(decoder.describe()).isEqualTo("gzip, deflate");
        assertThat(decode(decoder, gzip(deflate(TEXT, false)), 9999).toByteArray()).isEqualTo(TEXT);
    }

    @Test
    void transferCodingsBeforeChunkedAreUndoneAfterIt() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(
                headers("Transfer-Encoding", "gzip, chunked", "Content-Encoding", "deflate"));
        assertThat(decoder.describe()).isEqualTo("chunked, gzip, deflate");
        assertThat(decode(decoder, chunked(gzip(deflate(TEXT, true)), ""), 5000).toByteArray()).isEqualTo(TEXT);

        BodyDecoder closeDelimited = BodyDecoder.forHeaders(headers("Transfer-Encoding", "gzip"));
        assertThat(closeDelimited.describe()).isEqualTo("gzip");
        assertThat(decode(closeDelimited, gzip(TEXT), 5000).toByteArray()).isEqualTo(TEXT);
    }

    @Test
    void chunkedMustBeTheLastTransferCodingAndAppearOnce() {
        assertThatThrownBy(() -> BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked, gzip")))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("Transfer-Encoding \"chunked, gzip\": chunked must be the final transfer coding and appear once");
        assertThatThrownBy(() -> BodyDecoder.forHeaders(
                headers("Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked")))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("\"chunked, chunked\"");
    }

    @Test
    void unknownCodingsAreClearlyUnsupported() {
        assertThatThrownBy(() -> BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked", "Content-Encoding", "br")))
                .isInstanceOfSatisfying(UnsupportedCodingException.class, e -> assertThat(e.coding()).isEqualTo("br"))
                .hasMessage("content coding \"br\" is not supported; only gzip, x-gzip, deflate and identity are decoded");
        assertThatThrownBy(() -> BodyDecoder.forHeaders(headers("Content-Encoding", "gzip, zstd")))
                .isInstanceOfSatisfying(UnsupportedCodingException.class, e -> assertThat(e.coding()).isEqualTo("zstd"));
        assertThatThrownBy(() -> BodyDecoder.forHeaders(headers("Transfer-Encoding", "compress, chunked")))
                .isInstanceOf(UnsupportedCodingException.class)
                .hasMessageStartingWith("transfer coding \"compress\" is not supported");
        assertThatThrownBy(() -> BodyDecoder.forHeaders(headers("Content-Encoding", "gzip\u0000")))
                .isInstanceOf(UnsupportedCodingException.class)
                .hasMessage("Content-Encoding element \"gzip?\" is not a plain coding name");
    }

    @Test
    void bytesAfterTheLastChunkAreReported() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked"));
        Collector out = new Collector();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii("3\r\nabc\r\n0\r\n\r\nGET /")), out))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("5 bytes after the last chunk at body byte 13");
        assertThat(out.text()).isEqualTo("abc");
        assertThatThrownBy(() -> decoder.finish(out)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBodyEndingBeforeItsLastChunkIsReportedAtFinish() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked"));
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(ascii("a\r\n01234")), out);
        assertThatThrownBy(() -> decoder.finish(out))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("chunked body ended in chunk data, 5 of 10 bytes missing at body byte 8, before its last chunk");

        BodyDecoder noLastChunk = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked"));
        noLastChunk.decode(ByteBuffer.wrap(ascii("3\r\nabc\r\n")), out);
        assertThatThrownBy(() -> noLastChunk.finish(out))
                .hasMessage("chunked body ended in a chunk size line at body byte 8, before its last chunk");
    }

    @Test
    void truncatedGzipInsideCompleteChunkingIsReportedAtFinish() throws IOException {
        byte[] gz = gzip(TEXT);
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked", "Content-Encoding", "gzip"));
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(chunked(slice(gz, 0, gz.length - 4), "")), out);
        assertThatThrownBy(() -> decoder.finish(out))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageStartingWith("gzip: truncated: body ended inside the trailer of member 1");
    }

    @Test
    void malformedFramingIsReportedWithItsPlace() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked"));
        assertThatThrownBy(() -> TestBodies.feed(ascii("3\r\nabc\r\nzz\r\n"), 1, piece -> decoder.decode(piece, new Collector())))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("chunk size line does not start with a hexadecimal digit ('z' 0x7a) at body byte 8");
    }

    @Test
    void aChunkedZipBombIsStopped() throws IOException {
        byte[] wire = chunked(gzip(new byte[10 << 20]), "");
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked", "Content-Encoding", "gzip"));
        Collector out = new Collector();
        assertThatThrownBy(() -> TestBodies.feed(wire, 4096, piece -> decoder.decode(piece, out)))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("decompression bomb");
        assertThat(out.bytes.size()).isLessThanOrEqualTo((int) Limits.RATIO_GRACE_BYTES);
        assertThat(decoder.decodedBytes()).isEqualTo(out.bytes.size());
    }

    @Test
    void theSizeLimitAppliesToPlainBodiesToo() throws IOException {
        BodyDecoder decoder = BodyDecoder.forHeaders(headers("Transfer-Encoding", "chunked"), new Limits(50_000, 100, 4096));
        Collector out = new Collector();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(chunked(TEXT, "")), out))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageStartingWith("identity output would exceed the limit of 50000 decoded bytes");
        assertThat(out.bytes.size()).isLessThanOrEqualTo(50_000);
    }

    @Test
    void closeWithoutFinishIsAllowed() throws IOException {
        try (BodyDecoder decoder = BodyDecoder.forHeaders(headers("Content-Encoding", "gzip"))) {
            decoder.decode(ByteBuffer.wrap(slice(gzip(TEXT), 0, 100)), new Collector());
        }
    }

    private static byte[] slice(byte[] data, int from, int to) {
        return java.util.Arrays.copyOfRange(data, from, to);
    }
}
