package org.omamori.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.http.TestBodies.ascii;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omamori.api.engine.Header;
import org.omamori.http.TestBodies.Collector;

class ChunkedDecoderTest {

    /** Extensions (one with a quoted ';'), BWS before ';', a CRLF inside data, a last chunk with an extension, trailers. */
    private static final String WIRE = "4;ext=1\r\nWiki\r\n"
            + "5 ; name=\"va;l\\\"ue\"\r\npedia\r\n"
            + "E\r\n in\r\n\r\nchunks.\r\n"
            + "0;last\r\n"
            + "Expires: never\r\n"
            + "X-Sum:  abc \r\n"
            + "\r\n";
    private static final String BODY = "Wikipedia in\r\n\r\nchunks.";

    private static Collector decode(byte[] wire, int... cuts) throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            ByteBuffer piece = ByteBuffer.wrap(wire, from, to - from).slice().asReadOnlyBuffer();
            decoder.decode(piece, out);
            assertThat(piece.hasRemaining()).as("piece [%d, %d) consumed", from, to).isFalse();
            from = to;
        }
        assertThat(decoder.finished()).isTrue();
        assertThat(decoder.consumedBytes()).isEqualTo(wire.length);
        assertThat(decoder.trailers()).containsExactly(new Header("Expires", "never"), new Header("X-Sum", "abc"));
        return out;
    }

    @Test
    void decodesInOnePiece() throws IOException {
        assertThat(decode(ascii(WIRE)).text()).isEqualTo(BODY);
    }

    @Test
    void decodesWhenSplitAtEveryPairOfBoundaries() throws IOException {
        // Every cut lands somewhere: in size lines, extensions, CRLFs, data, trailers, the final CRLF.
        byte[] wire = ascii(WIRE);
        int runs = 0;
        for (int i = 0; i <= wire.length; i++) {
            for (int j = i; j <= wire.length; j++) {
                assertThat(decode(wire, i, j).text()).as("cut at %d and %d", i, j).isEqualTo(BODY);
                runs++;
            }
        }
        assertThat(runs).isGreaterThan(5000);
    }

    @Test
    void decodesOneByteAtATime() throws IOException {
        byte[] wire = ascii(WIRE);
        int[] cuts = new int[wire.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(decode(wire, cuts).text()).isEqualTo(BODY);
    }

    @Test
    void decodesFromDirectBuffers() throws IOException {
        byte[] wire = ascii(WIRE);
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        decoder.decode(direct, out);
        assertThat(out.text()).isEqualTo(BODY);
        assertThat(decoder.finished()).isTrue();
    }

    @Test
    void zeroLengthLastChunkAloneIsAnEmptyBody() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(ascii("0\r\n\r\n")), out);
        assertThat(decoder.finished()).isTrue();
        assertThat(out.pieces).isZero();
        assertThat(decoder.trailers()).isEmpty();
    }

    @Test
    void acceptsUpperCaseHexLeadingZerosAndSpaceBeforeCrlf() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(ascii("0000A \r\n0123456789\r\n000\r\n\r\n")), out);
        assertThat(decoder.finished()).isTrue();
        assertThat(out.text()).isEqualTo("0123456789");
    }

    @Test
    void chunkDataIsPassedInPiecesAsItArrives() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(ascii("a\r\n01234")), out);
        assertThat(out.text()).isEqualTo("01234");
        assertThat(decoder.finished()).isFalse();
        decoder.decode(ByteBuffer.wrap(ascii("56789\r\n0\r\n\r\n")), out);
        assertThat(out.text()).isEqualTo("0123456789");
        assertThat(out.pieces).isEqualTo(2);
    }

    @Test
    void bytesAfterTheEndAreLeftUnconsumed() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        ByteBuffer in = ByteBuffer.wrap(ascii("3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK"));
        decoder.decode(in, out);
        assertThat(decoder.finished()).isTrue();
        assertThat(in.remaining()).isEqualTo(15);
        assertThat(in.get(in.position())).isEqualTo((byte) 'H');
        // Once finished, further input is not touched either.
        decoder.decode(in, out);
        assertThat(in.remaining()).isEqualTo(15);
        assertThat(out.text()).isEqualTo("abc");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("g\r\n", "chunk size line does not start with a hexadecimal digit ('g' 0x67) at body byte 0"),
                Arguments.of("\r\n", "chunk size line has no hexadecimal digits at body byte 0"),
                Arguments.of(" 5\r\nhello\r\n0\r\n\r\n", "does not start with a hexadecimal digit (0x20) at body byte 0"),
                Arguments.of("5x\r\n", "chunk size line is not hexadecimal ('x' 0x78) at body byte 1"),
                Arguments.of("0x5\r\n", "chunk size line is not hexadecimal ('x' 0x78) at body byte 1"),
                Arguments.of("5 x\r\n", "chunk size line is not hexadecimal ('x' 0x78) at body byte 2"),
                Arguments.of("-5\r\n", "does not start with a hexadecimal digit ('-' 0x2d) at body byte 0"),
                Arguments.of("5\nhello\r\n", "chunk size line is not hexadecimal (0x0a) at body byte 1"),
                Arguments.of("5\r\rhello", "CR not followed by LF (0x0d) after a chunk size line at body byte 2"),
                Arguments.of("5;a\u0001b\r\n", "control byte 0x01 in a chunk extension at body byte 3"),
                Arguments.of("5;a\nhello", "control byte 0x0a in a chunk extension at body byte 3"),
                Arguments.of("5\r\nhelloX", "chunk data not followed by CRLF ('X' 0x58 after 5 bytes of data) at body byte 8"),
                Arguments.of("5\r\nhello\nX", "chunk data not followed by CRLF (0x0a after 5 bytes of data) at body byte 8"),
                Arguments.of("5\r\nhello\rX", "CR not followed by LF ('X' 0x58) after chunk data at body byte 9"),
                Arguments.of("11111111111111111\r\n", "chunk size does not fit in 63 bits at body byte 16"),
                Arguments.of("8000000000000000\r\n", "chunk size does not fit in 63 bits at body byte 15"),
                Arguments.of("0\r\n X: y\r\n\r\n", "obsolete line folding in the trailer section at body byte 3"),
                Arguments.of("0\r\nNoColon\r\n\r\n", "trailer line has no colon at body byte 11"),
                Arguments.of("0\r\nX : y\r\n\r\n", "trailer field name has 0x20 before its colon at body byte 9"),
                Arguments.of("0\r\n: y\r\n\r\n", "trailer line has an empty field name at body byte 7"),
                Arguments.of("0\r\nX: a\u0000\r\n\r\n", "control byte 0x00 in a trailer line at body byte 7"),
                Arguments.of("0\r\nX: a\nY: b\r\n\r\n", "control byte 0x0a in a trailer line at body byte 7"),
                Arguments.of("0\r\n\rX", "CR not followed by LF ('X' 0x58) at the end of the trailer section at body byte 4"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedFraming(String wire, String message) {
        assertThatThrownBy(() -> new ChunkedDecoder().decode(ByteBuffer.wrap(ascii(wire)), new Collector()))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageEndingWith(message);
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void reportsTheSamePlaceWhenFedByteByByte(String wire, String message) {
        ChunkedDecoder decoder = new ChunkedDecoder();
        assertThatThrownBy(() -> TestBodies.feed(ascii(wire), 1, piece -> decoder.decode(piece, new Collector())))
                .isInstanceOf(BodyFormatException.class)
                .hasMessageEndingWith(message);
    }

    @Test
    void largestChunkSizeIsParsed() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        Collector out = new Collector();
        decoder.decode(ByteBuffer.wrap(ascii("7fffffffffffffff\r\nabc")), out);
        assertThat(out.text()).isEqualTo("abc");
        assertThat(decoder.finished()).isFalse();
    }

    @Test
    void refusesAnOversizeSizeLine() {
        String wire = "5;" + "a".repeat(5000) + "\r\nhello\r\n0\r\n\r\n";
        assertThatThrownBy(() -> new ChunkedDecoder().decode(ByteBuffer.wrap(ascii(wire)), new Collector()))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("chunk size line longer than 4096 bytes at body byte 4096");
    }

    @Test
    void sizeLineLimitCountsDigitsAndExtensionsButNotCrlf() throws IOException {
        ChunkedDecoder atLimit = new ChunkedDecoder(8, 64);
        atLimit.decode(ByteBuffer.wrap(ascii("1;abcdef\r\nx\r\n0\r\n\r\n")), new Collector());
        assertThat(atLimit.finished()).isTrue();
        assertThatThrownBy(() -> new ChunkedDecoder(8, 64)
                .decode(ByteBuffer.wrap(ascii("1;abcdefg\r\nx\r\n0\r\n\r\n")), new Collector()))
                .hasMessage("chunk size line longer than 8 bytes at body byte 8");
        assertThatThrownBy(() -> new ChunkedDecoder(8, 64)
                .decode(ByteBuffer.wrap(ascii("000000001\r\nx\r\n0\r\n\r\n")), new Collector()))
                .hasMessage("chunk size line longer than 8 bytes at body byte 8");
    }

    @Test
    void refusesAnOversizeTrailerSection() {
        String wire = "0\r\n" + "X-Pad: " + "p".repeat(20_000) + "\r\n\r\n";
        assertThatThrownBy(() -> new ChunkedDecoder().decode(ByteBuffer.wrap(ascii(wire)), new Collector()))
                .isInstanceOf(BodyFormatException.class)
                .hasMessage("trailer section longer than 16384 bytes at body byte " + (3 + 16384));
        // Many small lines count together.
        String many = "0\r\n" + "A: b\r\n".repeat(20) + "\r\n";
        assertThatThrownBy(() -> new ChunkedDecoder(64, 100).decode(ByteBuffer.wrap(ascii(many)), new Collector()))
                .hasMessage("trailer section longer than 100 bytes at body byte 103");
    }

    @Test
    void trailersAreKeptAsSentAndOnlyShownOnceFinished() throws IOException {
        ChunkedDecoder decoder = new ChunkedDecoder();
        decoder.decode(ByteBuffer.wrap(ascii("0\r\ncontent-MD5:\tQ2hlY2s=\t\r\nEmpty:\r\n")), new Collector());
        assertThat(decoder.trailers()).isEmpty();
        decoder.decode(ByteBuffer.wrap(ascii("\r\n")), new Collector());
        assertThat(decoder.trailers()).containsExactly(new Header("content-MD5", "Q2hlY2s="), new Header("Empty", ""));
        assertThat(decoder.trailers().get(0).is("Content-MD5")).isTrue();
    }

    @Test
    void aFailedDecoderRefusesFurtherUse() {
        ChunkedDecoder decoder = new ChunkedDecoder();
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii("zz")), new Collector()))
                .isInstanceOf(BodyFormatException.class);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(ascii("0\r\n\r\n")), new Collector()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sinkFailuresPassThroughUnchanged() {
        IOException broken = new IOException("connection reset");
        assertThatThrownBy(() -> new ChunkedDecoder().decode(ByteBuffer.wrap(ascii("3\r\nabc\r\n")), data -> {
            throw broken;
        })).isSameAs(broken);
    }
}
