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
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.omamori.http.TestBodies.Collector;

class ContentDecoderTest {

    private static final byte[] TEXT = TestBodies.text(300_000, 42);
    private static final Limits SMALL_PIECES = new Limits(Limits.DEFAULTS.maxDecodedBytes(), 100, 1024);

    private static Collector decode(String coding, Limits limits, byte[] encoded, int step) throws IOException {
        try (ContentDecoder decoder = ContentDecoder.forCoding(coding, limits)) {
            Collector out = new Collector();
            TestBodies.feed(encoded, step, piece -> {
                decoder.decode(piece, out);
                assertThat(piece.hasRemaining()).isFalse();
            });
            decoder.finish(out);
            assertThat(decoder.encodedBytes()).isEqualTo(encoded.length);
            assertThat(decoder.decodedBytes()).isEqualTo(out.bytes.size());
            assertThat(out.largestPiece).isLessThanOrEqualTo(limits.outputChunkBytes());
            return out;
        }
    }

    private static byte[] decode(String coding, byte[] encoded, int step) throws IOException {
        return decode(coding, Limits.DEFAULTS, encoded, step).toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, 1 << 20})
    void gzipIsDecodedByteForByte(int step) throws IOException {
        Collector out = decode("gzip", SMALL_PIECES, gzip(TEXT), step);
        assertThat(out.toByteArray()).isEqualTo(TEXT);
        // Output is delivered as it is decoded: small input pieces give small output pieces.
        if (step >= 4096) {
            assertThat(out.largestPiece).isEqualTo(1024);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 65536, 1 << 20})
    void zlibDeflateIsDecodedByteForByte(int step) throws IOException {
        assertThat(decode("deflate", SMALL_PIECES, deflate(TEXT, false), step).toByteArray()).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 65536, 1 << 20})
    void rawDeflateIsDecodedByteForByte(int step) throws IOException {
        assertThat(decode("deflate", SMALL_PIECES, deflate(TEXT, true), step).toByteArray()).isEqualTo(TEXT);
    }

    @Test
    void tinyRawAndZlibStreamsAreToldApart() throws IOException {
        for (String s : new String[] {"", "a", "ab", "hello, world"}) {
            assertThat(decode("deflate", deflate(ascii(s), true), 1)).isEqualTo(ascii(s));
            assertThat(decode("deflate", deflate(ascii(s), false), 1)).isEqualTo(ascii(s));
            assertThat(decode("deflate", deflate(ascii(s), false), 100)).isEqualTo(ascii(s));
        }
    }

    @Test
    void codingNamesAreCaseInsensitiveAndXGzipIsGzip() throws IOException {
        byte[] gz = gzip(TEXT);
        assertThat(decode("GZip", gz, 5000)).isEqualTo(TEXT);
        assertThat(decode("x-gzip", gz, 5000)).isEqualTo(TEXT);
        assertThat(decode(" X-GZIP ", gz, 5000)).isEqualTo(TEXT);
        assertThat(decode("DEFLATE", deflate(TEXT, false), 5000)).isEqualTo(TEXT);
    }

    @Test
    void directBuffersAreDecodedToo() throws IOException {
        byte[] gz = gzip(TEXT);
        try (ContentDecoder decoder = ContentDecoder.forCoding("gzip", Limits.DEFAULTS)) {
            Collector out = new Collector();
            decoder.decode(ByteBuffer.allocateDirect(gz.length).put(gz).flip(), out);
            decoder.finish(out);
            assertThat(out.toByteArray()).isEqualTo(TEXT);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 1 << 20})
    void concatenatedGzipMembersAreOneBody(int step) throws IOException {
        byte[] first = ascii("first member, ");
        byte[] second = TestBodies.text(70_000, 7);
        byte[] third = new byte[0];
        assertThat(decode("gzip", concat(gzip(first), gzip(second), gzip(third)), step))
                .isEqualTo(concat(first, second));
    }

    @Test
    void stackedCodingsAreUndoneInReverseOrder() throws IOException {
        assertThat(decode("gzip, gzip", gzip(gzip(TEXT)), 1)).isEqualTo(TEXT);
        // "deflate, gzip": deflate applied first, gzip last, so gzip comes off first.
        byte[] both = gzip(deflate(TEXT, true));
        assertThat(decode("deflate, gzip", both, 333)).isEqualTo(TEXT);
        assertThat(ContentDecoder.forCoding("deflate, gzip", Limits.DEFAULTS).describe()).isEqualTo("gzip, deflate");
        assertThat(ContentDecoder.forCoding("deflate,,identity , gzip", Limits.DEFAULTS).codings())
                .containsExactly("gzip", "deflate");
    }

    @Test
    void gzipHeaderWithAllOptionalFieldsIsParsedAndChecked() throws IOException {
        byte[] data = ascii("with extra, name, comment and header CRC");
        byte[] member = gzipMember(data, true);
        assertThat(decode("gzip", member, 1)).isEqualTo(data);
        assertThat(decode("gzip", member, 1000)).isEqualTo(data);

        byte[] badHeaderCrc = member.clone();
        int crcAt = 10 + 2 + 6 + "name.txt\0".length() + "a comment\0".length();
        badHeaderCrc[crcAt] ^= 1;
        assertThatThrownBy(() -> decode("gzip", badHeaderCrc, 1))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("gzip: header CRC")
                .hasMessageEndingWith("at byte " + (crcAt + 1) + " of the gzip stream");
    }

    @Test
    void gzipTrailerIsChecked() {
        byte[] gz = gzip(TEXT);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 0x55;
        assertThatThrownBy(() -> decode("gzip", badCrc, 4096))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("CRC-32")
                .hasMessageContaining("of member 1 does not match its trailer's");
        byte[] badSize = gz.clone();
        badSize[gz.length - 1] ^= 0x01;
        assertThatThrownBy(() -> decode("gzip", badSize, 4096))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("member 1 inflated to 300000 bytes but its trailer says");
    }

    @Test
    void malformedGzipHeadersAreRefused() {
        assertThatThrownBy(() -> decode("gzip", ascii("hello"), 1))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("gzip: not gzip data: first byte is 0x68, not 0x1f at byte 0 of the gzip stream");
        assertThatThrownBy(() -> decode("gzip", new byte[] {0x1f, 0x00}, 1))
                .hasMessage("gzip: bad gzip magic 0x1f 0x00 at byte 1 of the gzip stream");
        assertThatThrownBy(() -> decode("gzip", new byte[] {0x1f, (byte) 0x8b, 7}, 1))
                .hasMessage("gzip: compression method 7 is not deflate (8) at byte 2 of the gzip stream");
        assertThatThrownBy(() -> decode("gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0x20}, 1))
                .hasMessage("gzip: reserved header flags set (0x20) at byte 3 of the gzip stream");
    }

    @Test
    void corruptDeflateDataIsAFormatError() {
        byte[] gz = gzip(TEXT);
        byte[] corrupt = gz.clone();
        for (int i = 10; i < 40; i++) {
            corrupt[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> decode("gzip", corrupt, 4096))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageStartingWith("gzip: corrupt deflate data (");
        byte[] zlib = deflate(TEXT, false);
        zlib[zlib.length - 1] ^= 1; // Adler-32
        assertThatThrownBy(() -> decode("deflate", zlib, 4096))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("deflate: corrupt deflate data (incorrect data check)");
    }

    @Test
    void truncatedGzipIsReportedAtFinish() throws IOException {
        byte[] gz = gzip(ascii("a short body, truncated everywhere"));
        for (int length = 1; length < gz.length; length++) {
            ContentDecoder decoder = ContentDecoder.forCoding("gzip", Limits.DEFAULTS);
            Collector out = new Collector();
            decoder.decode(ByteBuffer.wrap(gz, 0, length), out);
            assertThatThrownBy(() -> decoder.finish(out))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(BodyFormatException.class)
                    .hasMessageContaining("gzip: truncated: body ended inside the ")
                    .hasMessageEndingWith("at byte " + length + " of the gzip stream");
        }
    }

    @Test
    void truncatedDeflateIsReportedAtFinish() throws IOException {
        for (boolean raw : new boolean[] {true, false}) {
            byte[] deflated = deflate(TEXT, raw);
            for (int length : new int[] {1, 2, 100, deflated.length - 1}) {
                ContentDecoder decoder = ContentDecoder.forCoding("deflate", Limits.DEFAULTS);
                decoder.decode(ByteBuffer.wrap(deflated, 0, length), new Collector());
                assertThatThrownBy(() -> decoder.finish(new Collector()))
                        .as("raw %s truncated to %d bytes", raw, length)
                        .isInstanceOf(BodyFormatException.class)
                        .hasMessageContaining("deflate: truncated: body ended");
            }
        }
    }

    @Test
    void emptyBodiesDecodeToNothing() throws IOException {
        assertThat(decode("gzip", new byte[0], 1)).isEmpty();
        assertThat(decode("deflate", new byte[0], 1)).isEmpty();
        assertThat(decode("gzip, deflate", new byte[0], 1)).isEmpty();
    }

    @Test
    void zeroPaddingAfterAGzipMemberIsSkippedButOtherBytesAreNot() throws IOException {
        byte[] gz = gzip(TEXT);
        assertThat(decode("gzip", concat(gz, new byte[512]), 1000)).isEqualTo(TEXT);
        assertThatThrownBy(() -> decode("gzip", concat(gz, ascii("junk")), 1000))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("gzip: byte 0x6a after gzip member 1 starts no new member at byte " + gz.length
                        + " of the gzip stream");
        assertThatThrownBy(() -> decode("gzip", concat(gz, new byte[] {0, 0, 1}), 1000))
                .hasMessage("gzip: byte 0x01 in the zero padding after gzip member 1 at byte " + (gz.length + 2)
                        + " of the gzip stream");
    }

    @Test
    void bytesAfterADeflateStreamAreAnError() {
        byte[] deflated = deflate(TEXT, false);
        assertThatThrownBy(() -> decode("deflate", concat(deflated, ascii("xyz")), 1 << 20))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("deflate: 3 bytes after the end of the deflate stream at byte " + deflated.length
                        + " of the deflate stream");
        assertThatThrownBy(() -> decode("deflate", concat(deflated, ascii("xyz")), 1))
                .hasMessageContaining("1 bytes after the end of the deflate stream");
    }

    @Test
    void presetDictionariesAreRefused() {
        Deflater deflater = new Deflater();
        deflater.setDictionary(ascii("dictionary"));
        deflater.setInput(ascii("dictionary words"));
        deflater.finish();
        byte[] buffer = new byte[256];
        byte[] encoded = Arrays.copyOf(buffer, deflater.deflate(buffer));
        deflater.end();
        assertThatThrownBy(() -> decode("deflate", encoded, 64))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageContaining("preset dictionary");
    }

    @Test
    void aZipBombIsStoppedByTheRatio() throws IOException {
        byte[] bomb = gzip(new byte[10 << 20]);
        assertThat(bomb.length).isLessThan(20_000);
        for (int step : new int[] {1 << 20, 1024}) {
            ContentDecoder decoder = ContentDecoder.forCoding("gzip", Limits.DEFAULTS);
            Collector out = new Collector();
            assertThatThrownBy(() -> TestBodies.feed(bomb, step, piece -> decoder.decode(piece, out)))
                    .isInstanceOf(BodyTooLargeException.class)
                    .hasMessageContaining("gzip output would exceed 100 times the")
                    .hasMessageContaining("a likely decompression bomb");
            assertThat((long) out.bytes.size()).isLessThanOrEqualTo(Math.max(Limits.RATIO_GRACE_BYTES, 100L * bomb.length));
            assertThat(out.bytes.size()).isGreaterThan((int) Limits.RATIO_GRACE_BYTES - (64 << 10));
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(1), out)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aStackedZipBombIsStoppedToo() throws IOException {
        byte[] bomb = gzip(gzip(new byte[10 << 20]));
        assertThat(bomb.length).isLessThan(1000);
        ContentDecoder decoder = ContentDecoder.forCoding("gzip, gzip", Limits.DEFAULTS);
        Collector out = new Collector();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(bomb), out))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("a likely decompression bomb");
        assertThat(out.bytes.size()).isLessThanOrEqualTo((int) Limits.RATIO_GRACE_BYTES);
    }

    @Test
    void theSizeLimitHoldsWhateverTheRatio() throws IOException {
        Limits limits = new Limits(100_000, 1_000_000, 4096);
        ContentDecoder decoder = ContentDecoder.forCoding("gzip", limits);
        Collector out = new Collector();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(gzip(TEXT)), out))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageStartingWith("gzip output would exceed the limit of 100000 decoded bytes");
        assertThat(out.bytes.size()).isLessThanOrEqualTo(100_000).isGreaterThan(100_000 - 4096);
    }

    @Test
    void smallBodiesMayCompressBetterThanTheRatio() throws IOException {
        byte[] zeros = new byte[(int) Limits.RATIO_GRACE_BYTES];
        assertThat(decode("gzip", gzip(zeros), 1 << 20)).isEqualTo(zeros);
    }

    @Test
    void unsupportedCodingsAreNamed() {
        for (String coding : new String[] {"br", "zstd", "compress", "x-compress", "dcb"}) {
            assertThatThrownBy(() -> ContentDecoder.forCoding(coding, Limits.DEFAULTS))
                    .isInstanceOfSatisfying(UnsupportedCodingException.class, e -> assertThat(e.coding()).isEqualTo(coding))
                    .hasMessage("content coding \"" + coding
                            + "\" is not supported; only gzip, x-gzip, deflate and identity are decoded");
        }
        assertThatThrownBy(() -> ContentDecoder.forCoding("gzip, BR", Limits.DEFAULTS))
                .isInstanceOfSatisfying(UnsupportedCodingException.class, e -> assertThat(e.coding()).isEqualTo("br"));
        assertThatThrownBy(() -> ContentDecoder.forCoding("gzip;q=1", Limits.DEFAULTS))
                .isInstanceOf(UnsupportedCodingException.class)
                .hasMessage("Content-Encoding element \"gzip;q=1\" is not a plain coding name");
        assertThatThrownBy(() -> ContentDecoder.forCoding("gzip, gzip, gzip, gzip, gzip", Limits.DEFAULTS))
                .isInstanceOf(UnsupportedCodingException.class)
                .hasMessage("5 stacked codings (gzip, gzip, gzip, gzip, gzip); at most 4 are decoded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"identity", "IDENTITY", "", " ", " , identity,"})
    void identityPassesThroughInBoundedPieces(String coding) throws IOException {
        Collector out = decode(coding, SMALL_PIECES, TEXT, 5000);
        assertThat(out.toByteArray()).isEqualTo(TEXT);
        assertThat(out.largestPiece).isEqualTo(1024);
        assertThat(ContentDecoder.forCoding(coding, Limits.DEFAULTS).describe()).isEqualTo("identity");
    }

    @Test
    void absentHeaderIsIdentity() throws IOException {
        assertThat(decode(null, TEXT, 65536)).isEqualTo(TEXT);
    }

    @Test
    void identityHonoursTheSizeLimit() throws IOException {
        ContentDecoder decoder = ContentDecoder.forCoding(null, new Limits(1000, 100, 256));
        Collector out = new Collector();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(TEXT), out))
                .isInstanceOf(BodyTooLargeException.class)
                .hasMessageStartingWith("identity output would exceed the limit of 1000 decoded bytes");
        assertThat(out.bytes.size()).isEqualTo(768);
    }

    @Test
    void sinkFailuresPassThroughAndEndTheDecoder() throws IOException {
        IOException broken = new IOException("clamd went away");
        ContentDecoder decoder = ContentDecoder.forCoding("gzip", Limits.DEFAULTS);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(gzip(TEXT)), data -> {
            throw broken;
        })).isSameAs(broken);
        assertThatThrownBy(() -> decoder.finish(new Collector())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new Limits(-1, 100, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(1, 0, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(1, 100, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Limits.DEFAULTS).isEqualTo(new Limits(256L << 20, 100, 65536));
    }

    /** A gzip member with FEXTRA, FNAME, FCOMMENT and FHCRC, which GZIPOutputStream never writes. */
    private static byte[] gzipMember(byte[] data, boolean headerCrc) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) (0x04 | 0x08 | 0x10 | (headerCrc ? 0x02 : 0)),
                1, 2, 3, 4, 0, 3});
        header.writeBytes(new byte[] {6, 0, 'A', 'B', 2, 0, 'x', 'y'}); // XLEN 6: subfield "AB" of 2 bytes
        header.writeBytes(ascii("name.txt\0"));
        header.writeBytes(ascii("a comment\0"));
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.writeBytes(header.toByteArray());
        if (headerCrc) {
            CRC32 crc = new CRC32();
            crc.update(header.toByteArray());
            member.write((int) crc.getValue() & 0xff);
            member.write((int) (crc.getValue() >>> 8) & 0xff);
        }
        member.writeBytes(deflate(data, true));
        CRC32 crc = new CRC32();
        crc.update(data);
        writeLe32(member, crc.getValue());
        writeLe32(member, data.length);
        return member.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream out, long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
