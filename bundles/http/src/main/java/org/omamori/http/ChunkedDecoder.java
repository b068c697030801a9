package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.omamori.api.engine.Header;

/**
 * Removes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) as bytes arrive, in pieces split
 * anywhere. Chunk data is passed on as slices of the input, without copying.
 *
 * <p>Strict, because a recipient that frames a body differently from the client or server is how
 * request smuggling works: lines end in CRLF only (a bare CR or LF is an error); the chunk size is
 * 1*HEXDIG, optionally followed by spaces or tabs and then only by {@code ;} extensions; extension
 * and trailer bytes may not be control characters; trailer lines need a token name directly
 * followed by a colon, and obsolete line folding is refused. Extensions are skipped without being
 * kept. Bounded: the chunk size line (digits and extensions) and the whole trailer section have
 * byte limits, and at most the trailer section is ever held.
 *
 * <p>Bytes after the end of the chunked body are not consumed: {@link #decode} returns with the
 * input's position on the first of them, so a proxy can read the next message from there, and a
 * caller that expects nothing more can report them (as {@link BodyDecoder} does).
 *
 * <p>One decoder per body, used from one thread. After it has thrown, it only throws
 * {@link IllegalStateException}.
 */
public final class ChunkedDecoder {

    /** Longest chunk size line accepted, extensions included, CRLF excluded. */
    public static final int DEFAULT_MAX_SIZE_LINE_BYTES = 4096;
    /** Largest trailer section accepted, all of its lines and CRLFs included. */
    public static final int DEFAULT_MAX_TRAILER_BYTES = 16 << 10;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private enum State {
        SIZE_FIRST_DIGIT, SIZE_DIGITS, SIZE_SPACE, EXTENSION, SIZE_LF,
        DATA, DATA_CR, DATA_LF,
        TRAILER_LINE_START, TRAILER_LINE, TRAILER_LF, TRAILER_END_LF,
        DONE, FAILED
    }

    private final int maxSizeLineBytes;
    private final int maxTrailerBytes;

    private State state = State.SIZE_FIRST_DIGIT;
    /** Bytes of the chunked body consumed so far; where errors are reported. */
    private long offset;
    private long chunkSize;
    private long chunkRemaining;
    private int sizeLineBytes;
    private int trailerBytes;
    /** The current trailer line; allocated only when a body has trailers. */
    private byte[] trailerLine;
    private int trailerLineLength;
    private final List<Header> trailers = new ArrayList<>();

    public ChunkedDecoder() {
        this(DEFAULT_MAX_SIZE_LINE_BYTES, DEFAULT_MAX_TRAILER_BYTES);
    }

    public ChunkedDecoder(int maxSizeLineBytes, int maxTrailerBytes) {
        if (maxSizeLineBytes < 1 || maxTrailerBytes < 2) {
            throw new IllegalArgumentException("limits too small: size line " + maxSizeLineBytes
                    + ", trailer " + maxTrailerBytes);
        }
        this.maxSizeLineBytes = maxSizeLineBytes;
        this.maxTrailerBytes = maxTrailerBytes;
    }

    /**
     * Consumes the chunked body's bytes from {@code in} and passes the chunk data to {@code out}.
     * Returns when {@code in} is empty or the body has ended; in the latter case what remains in
     * {@code in} follows the body and is left alone.
     *
     * @throws BodyFormatException when the framing is malformed or exceeds a bound
     * @throws IOException when the sink throws it
     */
    public void decode(ByteBuffer in, BodySink out) throws IOException {
        if (state == State.FAILED) {
            throw new IllegalStateException("chunked decoder failed earlier; discard it");
        }
        while (in.hasRemaining() && state != State.DONE) {
            if (state == State.DATA) {
                passData(in, out);
            } else {
                frame(in.get()); // on error, error() has left the decoder FAILED
            }
        }
    }

    /** Whether the last chunk and the trailer section have been read. */
    public boolean finished() {
        return state == State.DONE;
    }

    /** Bytes of the chunked body consumed so far, framing included. */
    public long consumedBytes() {
        return offset;
    }

    /** The trailer fields, in order, once {@link #finished()}; empty before and when none. */
    public List<Header> trailers() {
        return state == State.DONE ? List.copyOf(trailers) : List.of();
    }

    /**
     * Where the body stands, for a message about a body that ended early: e.g. "in chunk data,
     * 12 of 100 bytes missing".
     */
    String whereStopped() {
        return switch (state) {
            case SIZE_FIRST_DIGIT, SIZE_DIGITS, SIZE_SPACE, EXTENSION, SIZE_LF -> "in a chunk size line";
            case DATA -> "in chunk data, " + chunkRemaining + " of " + chunkSize + " bytes missing";
            case DATA_CR, DATA_LF -> "before the CRLF that ends chunk data";
            case TRAILER_LINE_START, TRAILER_LINE, TRAILER_LF, TRAILER_END_LF -> "in the trailer section";
            case DONE -> "after the end";
            case FAILED -> "after an error";
        };
    }

    private void passData(ByteBuffer in, BodySink out) throws IOException {
        int n = (int) Math.min(chunkRemaining, in.remaining());
        int start = in.position();
        ByteBuffer data = in.slice(start, n);
        in.position(start + n);
        offset += n;
        chunkRemaining -= n;
        if (chunkRemaining == 0) {
            state = State.DATA_CR;
        }
        out.accept(data);
    }

    /** One byte of framing: size line, CRLF after data, or trailer section. */
    private void frame(byte b) throws BodyFormatException {
        long at = offset++;
        switch (state) {
            case SIZE_FIRST_DIGIT -> {
                int digit = Character.digit(b, 16);
                if (digit < 0) {
                    throw error(b == CR ? "chunk size line has no hexadecimal digits"
                            : "chunk size line does not start with a hexadecimal digit (" + show(b) + ")", at);
                }
                chunkSize = digit;
                sizeLineBytes = 1;
                state = State.SIZE_DIGITS;
            }
            case SIZE_DIGITS -> {
                if (b != CR) {
                    countSizeLine(at);
                }
                int digit = Character.digit(b, 16);
                if (digit >= 0) {
                    if (chunkSize > (Long.MAX_VALUE >>> 4)) {
                        throw error("chunk size does not fit in 63 bits", at);
                    }
                    chunkSize = (chunkSize << 4) | digit;
                } else {
                    afterSize(b, at);
                }
            }
            case SIZE_SPACE -> {
                if (b != CR) {
                    countSizeLine(at);
                }
                afterSize(b, at);
            }
            case EXTENSION -> {
                if (b == CR) {
                    state = State.SIZE_LF;
                } else {
                    countSizeLine(at);
                    if (isControl(b)) {
                        throw error("control byte " + show(b) + " in a chunk extension", at);
                    }
                }
            }
            case SIZE_LF -> {
                expectLf(b, at, "after a chunk size line");
                if (chunkSize == 0) {
                    state = State.TRAILER_LINE_START;
                } else {
                    chunkRemaining = chunkSize;
                    state = State.DATA;
                }
            }
            case DATA_CR -> {
                if (b != CR) {
                    throw error("chunk data not followed by CRLF (" + show(b) + " after " + chunkSize
                            + " bytes of data)", at);
                }
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                expectLf(b, at, "after chunk data");
                state = State.SIZE_FIRST_DIGIT;
            }
            case TRAILER_LINE_START -> {
                countTrailer(at);
                if (b == CR) {
                    state = State.TRAILER_END_LF;
                } else if (b == ' ' || b == '\t') {
                    throw error("obsolete line folding in the trailer section", at);
                } else {
                    trailerLineLength = 0;
                    appendTrailer(b, at);
                    state = State.TRAILER_LINE;
                }
            }
            case TRAILER_LINE -> {
                countTrailer(at);
                if (b == CR) {
                    state = State.TRAILER_LF;
                } else {
                    appendTrailer(b, at);
                }
            }
            case TRAILER_LF -> {
                countTrailer(at);
                expectLf(b, at, "after a trailer line");
                trailers.add(parseTrailer(at));
                state = State.TRAILER_LINE_START;
            }
            case TRAILER_END_LF -> {
                countTrailer(at);
                expectLf(b, at, "at the end of the trailer section");
                trailerLine = null;
                state = State.DONE;
            }
            default -> throw new IllegalStateException("no framing expected in state " + state);
        }
    }

    /** After the size digits only whitespace, an extension or the line end may follow. */
    private void afterSize(byte b, long at) throws BodyFormatException {
        if (b == ' ' || b == '\t') {
            state = State.SIZE_SPACE;
        } else if (b == ';') {
            state = State.EXTENSION;
        } else if (b == CR) {
            state = State.SIZE_LF;
        } else {
            throw error("chunk size line is not hexadecimal (" + show(b) + ")", at);
        }
    }

    private void countSizeLine(long at) throws BodyFormatException {
        if (++sizeLineBytes > maxSizeLineBytes) {
            throw error("chunk size line longer than " + maxSizeLineBytes + " bytes", at);
        }
    }

    private void countTrailer(long at) throws BodyFormatException {
        if (++trailerBytes > maxTrailerBytes) {
            throw error("trailer section longer than " + maxTrailerBytes + " bytes", at);
        }
    }

    private void appendTrailer(byte b, long at) throws BodyFormatException {
        if (isControl(b)) {
            throw error("control byte " + show(b) + " in a trailer line", at);
        }
        if (trailerLine == null) {
            trailerLine = new byte[Math.min(maxTrailerBytes, 256)];
        } else if (trailerLineLength == trailerLine.length) {
            // Never beyond maxTrailerBytes: countTrailer has already refused that.
            trailerLine = Arrays.copyOf(trailerLine, Math.min(maxTrailerBytes, trailerLine.length * 2));
        }
        trailerLine[trailerLineLength++] = b;
    }

    private Header parseTrailer(long at) throws BodyFormatException {
        int colon = 0;
        while (colon < trailerLineLength && trailerLine[colon] != ':') {
            if (!isTokenChar(trailerLine[colon])) {
                throw error("trailer field name has " + show(trailerLine[colon]) + " before its colon", at);
            }
            colon++;
        }
        if (colon == trailerLineLength) {
            throw error("trailer line has no colon", at);
        }
        if (colon == 0) {
            throw error("trailer line has an empty field name", at);
        }
        int valueStart = colon + 1;
        int valueEnd = trailerLineLength;
        while (valueStart < valueEnd && isBlank(trailerLine[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && isBlank(trailerLine[valueEnd - 1])) {
            valueEnd--;
        }
        // ISO-8859-1 keeps every byte as one char, as HTTP field values are octets.
        return new Header(new String(trailerLine, 0, colon, StandardCharsets.ISO_8859_1),
                new String(trailerLine, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
    }

    private void expectLf(byte b, long at, String where) throws BodyFormatException {
        if (b != LF) {
            throw error("CR not followed by LF (" + show(b) + ") " + where, at);
        }
    }

    private BodyFormatException error(String what, long at) {
        state = State.FAILED;
        return new BodyFormatException(what + " at body byte " + at);
    }

    /** Control characters other than horizontal tab, including a bare CR or LF and DEL. */
    private static boolean isControl(byte b) {
        return (b >= 0 && b < 0x20 && b != '\t') || b == 0x7f;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static String show(byte b) {
        int c = b & 0xff;
        return c >= 0x21 && c <= 0x7e ? String.format("'%c' 0x%02x", (char) c, c) : String.format("0x%02x", c);
    }
}
