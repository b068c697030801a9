package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes content coding as bytes arrive: gzip and x-gzip; deflate, zlib-wrapped or raw, told
 * apart as browsers do; stacked codings such as "gzip, gzip", undone in reverse order; identity
 * and empty list elements skipped. Anything else (br, zstd, compress, unknown names) is refused up
 * front with {@link UnsupportedCodingException}, as are more than {@value #MAX_CODINGS} stacked
 * codings.
 *
 * <p>Output reaches the sink in pieces of at most {@link Limits#outputChunkBytes()}. Every stage's
 * output is held to {@link Limits}: past {@link Limits#maxDecodedBytes()}, or past
 * {@link Limits#maxExpansionRatio()} times the encoded bytes supplied once
 * {@link Limits#RATIO_GRACE_BYTES} are exceeded, decoding stops with
 * {@link BodyTooLargeException} and nothing beyond the limit is delivered. Memory is one output
 * buffer and one inflater per coding, whatever the body's size.
 *
 * <p>One decoder per body, used from one thread. Call {@link #finish} after the last byte: only
 * then is a truncated body detected. After it has thrown, it only throws
 * {@link IllegalStateException}. Close it when abandoning a body before {@link #finish} to free
 * the inflaters' native memory at once.
 */
public final class ContentDecoder implements AutoCloseable {

    /** The most stacked codings undone; more is no legitimate server's doing. */
    public static final int MAX_CODINGS = 4;

    private final List<String> removalOrder;
    private final ExpansionGuard guard;
    /** The coding applied last, removed first; null for identity. */
    private final CodingStage outermost;
    /** The coding applied first, whose output is the decoded body; null for identity. */
    private final CodingStage innermost;
    private final List<CodingStage> stages;
    private long identityDelivered;
    private boolean finished;
    private boolean failed;
    private boolean closed;

    private ContentDecoder(List<String> appliedOrder, Limits limits) {
        this.guard = new ExpansionGuard(limits);
        List<CodingStage> built = new ArrayList<>();
        CodingStage next = null;
        for (String coding : appliedOrder) {
            next = coding.equals("gzip") ? new GzipStage(next, guard) : new DeflateStage(next, guard);
            built.add(0, next);
        }
        this.stages = List.copyOf(built);
        this.outermost = built.isEmpty() ? null : built.get(0);
        this.innermost = built.isEmpty() ? null : built.get(built.size() - 1);
        this.removalOrder = built.stream().map(s -> s.coding).toList();
    }

    /**
     * A decoder for a Content-Encoding header value: a list of codings in the order applied.
     * Null or blank means identity.
     */
    public static ContentDecoder forCoding(String contentEncodingHeaderValue, Limits limits)
            throws UnsupportedCodingException {
        return forCodings(Codings.parse("Content-Encoding", contentEncodingHeaderValue), "content", limits);
    }

    /** Codings in the order applied, lower-case; {@code kind} names them in messages. */
    static ContentDecoder forCodings(List<String> appliedOrder, String kind, Limits limits)
            throws UnsupportedCodingException {
        return ofSupported(supported(appliedOrder, kind), limits);
    }

    /**
     * The codings this bundle will undo, identity dropped and x-gzip named gzip.
     *
     * @throws UnsupportedCodingException for any other coding
     */
    static List<String> supported(List<String> appliedOrder, String kind) throws UnsupportedCodingException {
        List<String> codings = new ArrayList<>();
        for (String coding : appliedOrder) {
            switch (coding) {
                case "identity" -> { }
                case "gzip", "x-gzip" -> codings.add("gzip");
                case "deflate" -> codings.add("deflate");
                default -> throw new UnsupportedCodingException(coding, kind + " coding \"" + coding
                        + "\" is not supported; only gzip, x-gzip, deflate and identity are decoded");
            }
        }
        return codings;
    }

    /** A decoder for codings already checked by {@link #supported}, in the order applied. */
    static ContentDecoder ofSupported(List<String> codings, Limits limits) throws UnsupportedCodingException {
        if (codings.size() > MAX_CODINGS) {
            String all = String.join(", ", codings);
            throw new UnsupportedCodingException(all, codings.size() + " stacked codings (" + all
                    + "); at most " + MAX_CODINGS + " are decoded");
        }
        return new ContentDecoder(codings, limits);
    }

    /**
     * Consumes all of {@code in} and passes what it decodes to {@code out}.
     *
     * @throws BodyFormatException when the coded data is malformed
     * @throws BodyTooLargeException when a limit is reached
     * @throws IOException when the sink throws it
     */
    public void decode(ByteBuffer in, BodySink out) throws BodyFormatException, BodyTooLargeException, IOException {
        checkUsable();
        try {
            guard.supplied(in.remaining());
            if (outermost == null) {
                passThrough(in, out);
            } else {
                outermost.decode(in, out);
            }
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
    }

    /**
     * The body has ended. Nothing is pending for gzip or deflate, whose output is delivered as it
     * is decoded; the sink is taken so that callers need not change for a coding that buffers.
     *
     * @throws BodyFormatException when the body ended before its coding did (truncation)
     */
    public void finish(BodySink out) throws BodyFormatException, IOException {
        checkUsable();
        try {
            for (CodingStage stage : stages) {
                stage.finish();
            }
        } catch (BodyFormatException e) {
            fail();
            throw e;
        }
        finished = true;
        close();
    }

    /** Bytes supplied to {@link #decode}. */
    public long encodedBytes() {
        return guard.encoded();
    }

    /** Bytes delivered to the sink. */
    public long decodedBytes() {
        return innermost == null ? identityDelivered : innermost.produced();
    }

    /** The codings in the order they are removed, e.g. "gzip, deflate"; "identity" when none. */
    public String describe() {
        return removalOrder.isEmpty() ? "identity" : String.join(", ", removalOrder);
    }

    /** The codings in the order they are removed; empty for identity. */
    public List<String> codings() {
        return removalOrder;
    }

    /** Whether no content coding is removed and bytes pass through as they are. */
    public boolean isIdentity() {
        return removalOrder.isEmpty();
    }

    /** Frees native memory; further calls to decode or finish are refused. Never throws. */
    @Override
    public void close() {
        closed = true;
        for (CodingStage stage : stages) {
            stage.close();
        }
    }

    /** Identity still honours the size limit and the piece size. */
    private void passThrough(ByteBuffer in, BodySink out) throws IOException {
        int piece = guard.limits().outputChunkBytes();
        while (in.hasRemaining()) {
            int n = Math.min(piece, in.remaining());
            guard.admit("identity", identityDelivered, n);
            int start = in.position();
            ByteBuffer slice = in.slice(start, n);
            in.position(start + n);
            identityDelivered += n;
            out.accept(slice);
        }
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("content decoder failed earlier; discard it");
        }
        if (finished) {
            throw new IllegalStateException("content decoder already finished");
        }
        if (closed) {
            throw new IllegalStateException("content decoder closed");
        }
    }

    private void fail() {
        failed = true;
        close();
    }
}
