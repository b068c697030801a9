package org.omamori.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.omamori.api.engine.Header;

/**
 * Fuzzes the body decoders with hostile bodies: {@link ChunkedDecoder} (what the proxy runs on
 * every chunked request and response) and {@link ContentDecoder} (gzip and deflate, alone and
 * stacked, under its expansion guard). For any bytes, split anywhere, they deliver data or refuse
 * with {@link BodyFormatException} / {@link BodyTooLargeException}, and nothing else: any other
 * exception, a hang or runaway memory is a finding. Invariants checked on top:
 * <ul>
 * <li>chunked: the decoded data is never longer than the input; the same bytes in one piece and
 * in random pieces give the same data, the same end, the same trailers and the same error or
 * none; it consumes nothing past the end of the body; trailer fields hold no control bytes; after
 * an error it only throws {@link IllegalStateException};</li>
 * <li>content: no piece handed to the sink is larger than {@link Limits#outputChunkBytes()}; no
 * more than {@link Limits#maxDecodedBytes()} is delivered; past the grace bytes no more than the
 * ratio times the input.</li>
 * </ul>
 *
 * <p>Input layout: the first byte seeds how the rest is split into pieces (0: one piece); for
 * {@link #content} the second byte picks the coding list. A plain {@code ./mvnw test} runs the
 * seeds under {@code src/test/resources/org/omamori/http/BodyFuzzTestInputs/<method>/}; the
 * build's fuzz executions fuzz each method for a few seconds; longer runs: docs/fuzzing.md.
 */
class BodyFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void chunked(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] wire = Arrays.copyOfRange(input, 1, input.length);
        Outcome whole = chunkedOutcome(wire, List.of(wire.length));
        Outcome split = chunkedOutcome(wire, pieces(input[0], wire.length));
        if (whole.decoded.length > wire.length) {
            throw new AssertionError("decoded " + whole.decoded.length + " bytes from " + wire.length);
        }
        if (!whole.equals(split)) {
            throw new AssertionError("one piece and split pieces decode differently:\n  " + whole + "\n  " + split);
        }
    }

    /** What a chunked decoder made of a body: data, where it stopped, trailers, error. */
    private record Outcome(byte[] decoded, boolean finished, long consumed, List<Header> trailers, String error) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome x && Arrays.equals(decoded, x.decoded) && finished == x.finished
                    && consumed == x.consumed && trailers.equals(x.trailers) && Objects.equals(error, x.error);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(decoded);
        }

        @Override
        public String toString() {
            return decoded.length + " bytes, finished " + finished + ", consumed " + consumed + ", trailers " + trailers + ", error " + error;
        }
    }

    private static Outcome chunkedOutcome(byte[] wire, List<Integer> pieces) {
        ChunkedDecoder decoder = new ChunkedDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodySink sink = data -> {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            out.writeBytes(b);
        };
        int from = 0;
        String error = null;
        for (int n : pieces) {
            ByteBuffer piece = ByteBuffer.wrap(wire, from, n).slice().asReadOnlyBuffer();
            boolean wasFinished = decoder.finished();
            try {
                decoder.decode(piece, sink);
            } catch (BodyFormatException e) {
                // Offsets in the message are the same however the body was split.
                error = e.getMessage();
                try {
                    decoder.decode(ByteBuffer.wrap(new byte[] {'0'}), sink);
                    throw new AssertionError("a failed decoder went on decoding");
                } catch (IllegalStateException expected) {
                    // documented
                } catch (IOException other) {
                    throw new AssertionError("a failed decoder threw " + other, other);
                }
                break;
            } catch (IOException e) {
                throw new AssertionError("the sink does not throw, yet: " + e, e);
            }
            if (wasFinished && piece.position() != 0) {
                throw new AssertionError("consumed bytes after the end of the body");
            }
            if (!decoder.finished() && piece.hasRemaining()) {
                throw new AssertionError("returned with input left before the end of the body");
            }
            from += n;
        }
        long consumed = decoder.consumedBytes();
        if (error == null && consumed > wire.length) {
            throw new AssertionError("consumed " + consumed + " of " + wire.length + " bytes");
        }
        for (Header h : decoder.trailers()) {
            if (h.name().isEmpty() || !h.name().chars().allMatch(ChunkedDecoder::isTokenChar)) {
                throw new AssertionError("trailer name " + h.name());
            }
            if (h.value().chars().anyMatch(c -> (c < ' ' && c != '\t') || c == 0x7f)) {
                throw new AssertionError("control byte in trailer " + h.name());
            }
        }
        return new Outcome(out.toByteArray(), decoder.finished(), error == null ? consumed : -1, decoder.trailers(), error);
    }

    private static final String[] CODINGS = {"gzip", "deflate", "x-gzip, identity", "gzip, gzip", "deflate, gzip", "gzip, deflate"};
    /** Small, so that the size limit and the piece size are reached by small inputs too. */
    private static final Limits LIMITS = new Limits(2L << 20, 20, 1024);

    @FuzzTest(maxDuration = "10s")
    void content(byte[] input) {
        if (input.length < 2) {
            return;
        }
        String coding = CODINGS[(input[1] & 0xff) % CODINGS.length];
        byte[] wire = Arrays.copyOfRange(input, 2, input.length);
        long[] delivered = {0};
        BodySink sink = data -> {
            if (data.remaining() > LIMITS.outputChunkBytes()) {
                throw new AssertionError("a piece of " + data.remaining() + " bytes");
            }
            delivered[0] += data.remaining();
            data.position(data.limit());
        };
        ContentDecoder decoder;
        try {
            decoder = ContentDecoder.forCoding(coding, LIMITS);
        } catch (UnsupportedCodingException e) {
            throw new AssertionError(e);
        }
        try {
            int from = 0;
            for (int n : pieces(input[0], wire.length)) {
                decoder.decode(ByteBuffer.wrap(wire, from, n).slice(), sink);
                from += n;
                check(delivered[0], from, decoder);
            }
            decoder.finish(sink);
        } catch (BodyFormatException | BodyTooLargeException expected) {
            // a clean refusal
        } catch (IOException e) {
            throw new AssertionError("unexpected " + e, e);
        } finally {
            decoder.close();
        }
        check(delivered[0], wire.length, decoder);
    }

    private static void check(long delivered, long supplied, ContentDecoder decoder) {
        if (delivered != decoder.decodedBytes()) {
            throw new AssertionError("delivered " + delivered + " but counted " + decoder.decodedBytes());
        }
        if (delivered > LIMITS.maxDecodedBytes()) {
            throw new AssertionError("delivered " + delivered + " bytes, over the limit");
        }
        if (delivered > Limits.RATIO_GRACE_BYTES && delivered > supplied * LIMITS.maxExpansionRatio()) {
            throw new AssertionError("delivered " + delivered + " bytes from " + supplied + ": over the ratio");
        }
    }

    /** Piece lengths summing to {@code length}: one piece for 0, else random sizes from 1 to 64. */
    private static List<Integer> pieces(byte seed, int length) {
        List<Integer> out = new ArrayList<>();
        if (seed == 0) {
            out.add(length);
            return out;
        }
        Random random = new Random(seed);
        int left = length;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(64));
            out.add(n);
            left -= n;
        }
        if (out.isEmpty()) {
            out.add(0);
        }
        return out;
    }
}
