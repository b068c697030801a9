package org.omamori.http;

import org.omamori.api.text.Printable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.omamori.api.engine.Header;

/**
 * Turns one HTTP/1.1 message body as it crossed the wire into the bytes the user's program will
 * see, as that message's headers say: chunked framing removed, then any other transfer codings,
 * then the content codings. Header names match case-insensitively; several lines of one header
 * count as one comma-separated list. Without Transfer-Encoding and Content-Encoding it passes the
 * body through unchanged (still within {@link Limits}). Content-Length is the framer's business and
 * not looked at.
 *
 * <p>The input is taken to be exactly this message's body: bytes after the last chunk are
 * reported as {@link BodyFormatException}, not ignored, because a body that goes on past its own
 * framing means two parties framed it differently. A proxy that reads a connection's byte stream
 * should use {@link ChunkedDecoder} directly, which stops at the end and leaves the rest.
 *
 * <p>One decoder per body, used from one thread; call {@link #finish} after the last byte.
 * After it has thrown, it only throws {@link IllegalStateException}.
 */
public final class BodyDecoder implements AutoCloseable {

    private final ChunkedDecoder chunked;
    private final ContentDecoder content;
    private final BodySink toContent;
    private BodySink sink;
    private long encoded;
    private boolean failed;
    private boolean finished;

    private BodyDecoder(boolean chunked, ContentDecoder content) {
        this.chunked = chunked ? new ChunkedDecoder() : null;
        this.content = content;
        // One sink object for the decoder's life, not one per call.
        this.toContent = data -> this.content.decode(data, sink);
    }

    /** A decoder with {@link Limits#DEFAULTS}. */
    public static BodyDecoder forHeaders(List<Header> headers) throws UnsupportedCodingException, BodyFormatException {
        return forHeaders(headers, Limits.DEFAULTS);
    }

    /**
     * A decoder for the body of the message with these headers.
     *
     * @throws UnsupportedCodingException when a coding is not one this bundle decodes
     * @throws BodyFormatException when Transfer-Encoding has "chunked" other than once and last,
     *     which RFC 9112 forbids
     */
    public static BodyDecoder forHeaders(List<Header> headers, Limits limits)
            throws UnsupportedCodingException, BodyFormatException {
        List<String> contentCodings = new ArrayList<>();
        List<String> transferCodings = new ArrayList<>();
        for (Header header : headers) {
            if (header.is("Content-Encoding")) {
                contentCodings.addAll(Codings.parse("Content-Encoding", header.value()));
            } else if (header.is("Transfer-Encoding")) {
                transferCodings.addAll(Codings.parse("Transfer-Encoding", header.value()));
            }
        }
        int chunkedAt = transferCodings.indexOf("chunked");
        boolean chunked = chunkedAt >= 0;
        if (chunked && (chunkedAt != transferCodings.size() - 1 || transferCodings.lastIndexOf("chunked") != chunkedAt)) {
            throw new BodyFormatException("Transfer-Encoding \"" + Printable.shown(String.join(", ", transferCodings), 64)
                    + "\": chunked must be the final transfer coding and appear once");
        }
        if (chunked) {
            transferCodings.remove(chunkedAt);
        }
        // Applied in order: content codings by the origin, then transfer codings hop by hop.
        List<String> applied = new ArrayList<>(ContentDecoder.supported(contentCodings, "content"));
        applied.addAll(ContentDecoder.supported(transferCodings, "transfer"));
        ContentDecoder content = ContentDecoder.ofSupported(applied, limits);
        return new BodyDecoder(chunked, content);
    }

    /**
     * Consumes all of {@code in}, the next bytes of the body as sent, and passes what it decodes
     * to {@code out} in pieces of at most {@link Limits#outputChunkBytes()}.
     *
     * @throws BodyFormatException when framing or coding is malformed, or bytes follow the last chunk
     * @throws BodyTooLargeException when a limit is reached
     * @throws IOException when the sink throws it
     */
    public void decode(ByteBuffer in, BodySink out) throws BodyFormatException, BodyTooLargeException, IOException {
        checkUsable();
        try {
            if (chunked == null) {
                encoded += in.remaining();
                content.decode(in, out);
                return;
            }
            int start = in.position();
            sink = out;
            try {
                chunked.decode(in, toContent);
            } finally {
                sink = null;
                encoded += in.position() - start;
            }
            if (in.hasRemaining()) {
                throw new BodyFormatException(in.remaining() + " bytes after the last chunk at body byte " + encoded);
            }
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
    }

    /**
     * The body has ended.
     *
     * @throws BodyFormatException when it ended before its last chunk or inside a coding (truncation)
     */
    public void finish(BodySink out) throws BodyFormatException, IOException {
        checkUsable();
        try {
            if (chunked != null && !chunked.finished()) {
                throw new BodyFormatException("chunked body ended " + chunked.whereStopped()
                        + " at body byte " + encoded + ", before its last chunk");
            }
            content.finish(out);
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
        finished = true;
    }

    /** Bytes of the body as sent consumed so far, chunk framing included. */
    public long encodedBytes() {
        return encoded;
    }

    /** Bytes delivered to the sink so far. */
    public long decodedBytes() {
        return content.decodedBytes();
    }

    /** The steps in the order they are undone, e.g. "chunked, gzip"; "identity" when none. */
    public String describe() {
        if (chunked == null) {
            return content.describe();
        }
        return content.isIdentity() ? "chunked" : "chunked, " + content.describe();
    }

    /** Whether the body is passed through unchanged. */
    public boolean isIdentity() {
        return chunked == null && content.isIdentity();
    }

    /** The chunked body's trailer fields once it has ended; empty otherwise. */
    public List<Header> trailers() {
        return chunked == null ? List.of() : chunked.trailers();
    }

    /** Frees native memory when a body is abandoned before {@link #finish}. Never throws. */
    @Override
    public void close() {
        content.close();
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("body decoder failed earlier; discard it");
        }
        if (finished) {
            throw new IllegalStateException("body decoder already finished");
        }
    }

    private void fail() {
        failed = true;
        content.close();
    }
}
